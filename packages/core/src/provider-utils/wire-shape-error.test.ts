import { describe, expect, it } from "vitest";
import { ParseError, RateLimitError } from "../errors/errors.js";
import { wireShapeError } from "./wire-shape-error.js";

function thrownBy(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("wireShapeError", () => {
  it("turns a TypeError from reading a null field into a ParseError naming provider and where", () => {
    const choice = JSON.parse("null") as { delta: string };
    const cause = thrownBy(() => choice.delta);
    const error = wireShapeError(cause, "acme", "stream event 3");
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "acme", where: "stream event 3", retryable: false });
    expect((error as ParseError).cause).toBe(cause);
  });

  it("turns a RangeError into a ParseError too", () => {
    expect(wireShapeError(new RangeError("Invalid array length"), "acme", "body")).toBeInstanceOf(
      ParseError,
    );
  });

  it("returns errors of the family and other errors as they are", () => {
    const limited = new RateLimitError("slow down");
    expect(wireShapeError(limited, "acme", "body")).toBe(limited);
    const other = new Error("bug");
    expect(wireShapeError(other, "acme", "body")).toBe(other);
  });
});
