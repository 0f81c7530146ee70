import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ParseError } from "../errors/errors.js";
import { float32FromBase64, float32FromNumbers, float32ToBase64 } from "./float32.js";

describe("float32 base64", () => {
  it("round-trips any float32 vector exactly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 64 }),
        (values) => {
          const vector = Float32Array.from(values);
          expect(float32FromBase64(float32ToBase64(vector), "v")).toEqual(vector);
        },
      ),
    );
  });

  it("reads a vector that is a view into a larger buffer", () => {
    const whole = Float32Array.from([9, 1.5, -2, 9]);
    const view = whole.subarray(1, 3);
    expect(Array.from(float32FromBase64(float32ToBase64(view), "v"))).toEqual([1.5, -2]);
  });

  it.each([
    ["not base64 at all!", "not base64"],
    ["AAAAAAA=", "not a whole number of float32s"],
    [Buffer.from(new Float32Array([Number.NaN]).buffer).toString("base64"), "not a finite number"],
  ])("refuses %j with a ParseError", (text, message) => {
    let error: unknown;
    try {
      float32FromBase64(text, "data[0].embedding");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toContain(message);
    expect((error as ParseError).where).toContain("data[0].embedding");
  });

  it("refuses a vector of another length than expected", () => {
    const text = float32ToBase64(new Float32Array(3));
    expect(() => float32FromBase64(text, "v", 4)).toThrow("3 dimensions, expected 4");
  });
});

describe("float32FromNumbers", () => {
  it("converts an array of finite numbers", () => {
    expect(Array.from(float32FromNumbers([0.5, -1, 2], "v"))).toEqual([0.5, -1, 2]);
  });

  it.each([["1,2"], [[1, "2"]], [[1, null]], [null]])("refuses %j with a ParseError", (values) => {
    expect(() => float32FromNumbers(values, "embeddings[0]")).toThrow(ParseError);
  });
});
