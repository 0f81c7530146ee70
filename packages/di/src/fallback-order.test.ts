import type { ClientConfig } from "@llm/config";
import { ConfigError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { fallbackOrder } from "./fallback-order.js";

const client = (fallbacks?: string[]) =>
  ({ provider: "openai", model: "m", ...(fallbacks ? { fallbacks } : {}) }) as ClientConfig;

describe("fallbackOrder", () => {
  it("lists the client, its fallbacks and theirs, depth first, each once", () => {
    const clients = { a: client(["b", "c"]), b: client(["d"]), c: client(["d"]), d: client() };
    expect(fallbackOrder("a", clients)).toEqual(["a", "b", "d", "c"]);
  });

  it("names the client that lists an unknown fallback", () => {
    expect(() => fallbackOrder("a", { a: client(["ghost"]) })).toThrow(
      /Client "ghost" \(a fallback of "a"\) is not configured; known clients: a/,
    );
    expect(() => fallbackOrder("x", {})).toThrow(/known clients: none/);
  });

  it("names the chain of a cycle", () => {
    const error = (() => {
      try {
        fallbackOrder("a", { a: client(["b"]), b: client(["a"]) });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/a → b → a/);
    expect(error!.issues[0]!.path).toBe("clients.b.fallbacks");
  });
});
