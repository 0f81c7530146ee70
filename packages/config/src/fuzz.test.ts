import { ConfigError } from "@llm/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadConfig, parseConfigText } from "./load-config.js";

/** The property: any input yields a config or a ConfigError, never another exception. */
function outcome(run: () => unknown): "config" | "config-error" {
  try {
    run();
    return "config";
  } catch (error) {
    if (error instanceof ConfigError) return "config-error";
    throw error;
  }
}

const leaf = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "30s",
    "5m",
    "1h",
    "64MB",
    "1GiB",
    "${HOME}",
    "${MISSING:-x}",
    "${MISSING:?boom}",
    "$${X}",
    "${",
    "true",
    "-1",
    "lru",
    "none",
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.constantFrom(
  "clients",
  "cache",
  "pool",
  "memory",
  "plugins",
  "hooks",
  "provider",
  "model",
  "apiKey",
  "fallbacks",
  "timeouts",
  "retries",
  "params",
  "l1",
  "l2",
  "type",
  "budgetBytes",
  "connections",
  "module",
  "a",
  "b",
  "__proto__",
  "constructor",
  "token",
);
const shaped = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, leaf, tie("object"), tie("array")),
  object: fc.dictionary(fc.oneof(key, fc.string()), tie("node"), { maxKeys: 6 }),
  array: fc.array(tie("node"), { maxLength: 4 }),
})).object;

const env = { HOME: "/home/u", EMPTY: "" };

describe("fuzzing the loader", () => {
  it("turns any text into a config or a ConfigError (YAML)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        expect(["config", "config-error"]).toContain(
          outcome(() => parseConfigText(text, { env, file: "f.yaml" })),
        );
      }),
      { numRuns: 400 },
    );
  });

  it("turns any text into a config or a ConfigError (JSON)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        expect(["config", "config-error"]).toContain(
          outcome(() => parseConfigText(text, { env, format: "json" })),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("turns any config-shaped document into a config or a ConfigError", () => {
    fc.assert(
      fc.property(shaped, fc.boolean(), (data, asJson) => {
        const text = asJson ? JSON.stringify(data) : stringify(data);
        expect(["config", "config-error"]).toContain(
          outcome(() => parseConfigText(text, { env, format: asJson ? "json" : "yaml" })),
        );
      }),
      { numRuns: 400 },
    );
  });

  it("accepts any environment overrides without another kind of exception", async () => {
    const segment = fc.oneof(
      key.map((k) => k.toUpperCase()),
      fc.stringMatching(/^[A-Z0-9_]{0,6}$/),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `LLM__${s.join("__")}`),
          fc.oneof(fc.string(), fc.constantFrom("1", "true", "[]", "{}", '{"a":1}', "null")),
          { maxKeys: 5 },
        ),
        async (overrides) => {
          const result = await loadConfig({ env: overrides }).then(
            () => "config",
            (error: unknown) => (error instanceof ConfigError ? "config-error" : error),
          );
          expect(["config", "config-error"]).toContain(result);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never pollutes Object.prototype", () => {
    outcome(() =>
      parseConfigText('{"__proto__": {"polluted": 1}, "pool": {"__proto__": {"polluted": 1}}}', {
        format: "json",
      }),
    );
    outcome(() => parseConfigText("__proto__:\n  polluted: 1\n"));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports alias bombs as a ConfigError", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 12; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      );
    expect(outcome(() => parseConfigText(lines.join("\n")))).toBe("config-error");
  });
});
