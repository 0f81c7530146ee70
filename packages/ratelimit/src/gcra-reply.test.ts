import { ParseError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { decodeGcraReply } from "./gcra-reply.js";

describe("decodeGcraReply", () => {
  it("reads the script's [granted, wait] reply", () => {
    expect(decodeGcraReply([1, "12.500"])).toEqual({ granted: true, waitMs: 12.5 });
    expect(decodeGcraReply([0, "0.000"])).toEqual({ granted: false, waitMs: 0 });
    expect(decodeGcraReply([1, 3])).toEqual({ granted: true, waitMs: 3 });
  });

  it.each([
    [null, "rate-limit script reply"],
    ["OK", "rate-limit script reply"],
    [[1], "rate-limit script reply"],
    [[1, "2", "3"], "rate-limit script reply"],
    [["1", "2"], "rate-limit script reply[0]"],
    [[2, "2"], "rate-limit script reply[0]"],
    [[1, "abc"], "rate-limit script reply[1]"],
    [[1, ""], "rate-limit script reply[1]"],
    [[1, "-5"], "rate-limit script reply[1]"],
    [[1, "1e400"], "rate-limit script reply[1]"],
    [[0, null], "rate-limit script reply[1]"],
    [[0, ["1"]], "rate-limit script reply[1]"],
  ])("refuses %j with a ParseError at %s (no TypeError, no NaN wait)", (reply, where) => {
    let caught: unknown;
    try {
      decodeGcraReply(reply);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect((caught as ParseError).where).toBe(where);
  });
});
