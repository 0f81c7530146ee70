import { describe, expect, it } from "vitest";
import { ParseError } from "../errors/errors.js";
import {
  readCount,
  readNullableObject,
  readNullableString,
  readOptionalObject,
  readOptionalString,
  readString,
} from "./read-wire-field.js";

describe("wire field readers", () => {
  it("readString returns a string and fails anything else with a ParseError naming provider and path", () => {
    expect(readString("hi", "acme", "choices[0].delta.content")).toBe("hi");
    expect(readString("", "acme", "choices[0].delta.content")).toBe("");
    const error = (() => {
      try {
        return readString(5, "acme", "choices[0].delta.content");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "acme", where: "choices[0].delta.content" });
    expect((error as Error).message).toContain("acme sent number where a string belongs");
    expect(() => readString(undefined, "acme", "id")).toThrow(ParseError);
  });

  it("readNullableString reads null and undefined as absent but fails other types", () => {
    expect(readNullableString(null, "acme", "p")).toBeUndefined();
    expect(readNullableString(undefined, "acme", "p")).toBeUndefined();
    expect(readNullableString("x", "acme", "p")).toBe("x");
    expect(() => readNullableString(["x"], "acme", "p")).toThrow(
      "acme sent array where a string belongs",
    );
    expect(() => readNullableString({}, "acme", "p")).toThrow(ParseError);
  });

  it("readNullableObject reads null and undefined as absent and fails anything but a plain object", () => {
    expect(readNullableObject(null, "acme", "p")).toBeUndefined();
    expect(readNullableObject(undefined, "acme", "p")).toBeUndefined();
    const args = { city: "Paris" };
    expect(readNullableObject(args, "acme", "p")).toBe(args);
    for (const bad of ["{}", ["a"], 3, true])
      expect(() => readNullableObject(bad, "acme", "parts[].functionCall.args")).toThrow(
        ParseError,
      );
    expect(() => readNullableObject("x", "acme", "p")).toThrow(
      "acme sent string where an object belongs",
    );
  });

  it("readOptionalString drops what is not a string", () => {
    expect(readOptionalString("stop")).toBe("stop");
    expect(readOptionalString(null)).toBeUndefined();
    expect(readOptionalString(["gpt"])).toBeUndefined();
    expect(readOptionalString(3)).toBeUndefined();
  });

  it("readOptionalObject keeps plain objects and drops everything else", () => {
    expect(readOptionalObject({ type: "refusal" })).toEqual({ type: "refusal" });
    expect(readOptionalObject(null)).toBeUndefined();
    expect(readOptionalObject(["refusal"])).toBeUndefined();
    expect(readOptionalObject("refusal")).toBeUndefined();
  });

  it("readCount keeps non-negative integers only", () => {
    expect(readCount(0)).toBe(0);
    expect(readCount(42)).toBe(42);
    for (const bad of [
      "12",
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      null,
      undefined,
      2 ** 60,
    ])
      expect(readCount(bad)).toBeUndefined();
  });
});
