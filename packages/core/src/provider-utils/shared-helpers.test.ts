import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors/errors.js";
import { isRecord } from "./is-record.js";
import { parseToolArguments } from "./parse-tool-arguments.js";
import { requireModel } from "./require-model.js";

describe("isRecord", () => {
  it("accepts plain objects, empty or not", () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord({ a: 1 })).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
  });

  it("rejects null, arrays and primitives", () => {
    for (const value of [null, undefined, [], [1], "x", 1, true])
      expect(isRecord(value)).toBe(false);
  });
});

describe("parseToolArguments", () => {
  it("parses a JSON string into its value", () => {
    expect(parseToolArguments('{"city":"Paris","n":[1,2]}')).toEqual({ city: "Paris", n: [1, 2] });
  });

  it("reads empty or blank arguments as no arguments", () => {
    expect(parseToolArguments("")).toEqual({});
    expect(parseToolArguments("  \n")).toEqual({});
  });

  it("passes text that is not JSON through unchanged, for the caller to show or repair", () => {
    expect(parseToolArguments("{broken")).toBe("{broken");
  });
});

describe("requireModel", () => {
  it("prefers the request's model over the default", () => {
    expect(requireModel("acme", "big", "small")).toBe("big");
    expect(requireModel("acme", undefined, "small")).toBe("small");
  });

  it("throws a ConfigError at path model naming the provider when neither is set", () => {
    let error: unknown;
    try {
      requireModel("acme", undefined, undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^No model for acme: set request.model or settings.model/,
    );
    expect(error).toMatchObject({
      provider: "acme",
      issues: [{ path: "model", message: "required" }],
    });
    expect(() => requireModel("acme", "", undefined)).toThrow(ConfigError);
  });
});
