import { ConfigError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_READ_BYTES, entryReadBound } from "./entry-read-bound.js";

describe("entryReadBound", () => {
  it("takes the default when unset and a positive integer as given", () => {
    expect(entryReadBound(undefined, "S")).toBe(DEFAULT_MAX_READ_BYTES);
    expect(DEFAULT_MAX_READ_BYTES).toBe(32 * 1024 * 1024);
    expect(entryReadBound(1, "S")).toBe(1);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses %s with a ConfigError naming the store and the option",
    (value) => {
      let error: unknown;
      try {
        entryReadBound(value, "RedisStore");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).summary).toBe("Invalid RedisStore options");
      expect((error as ConfigError).issues).toEqual([
        { path: "maxEntryBytes", message: `must be a positive integer, got ${String(value)}` },
      ]);
    },
  );
});
