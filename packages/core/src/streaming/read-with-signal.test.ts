import { describe, expect, it } from "vitest";
import { AbortError, TimeoutError } from "../errors/index.js";
import { collect, encode, fromChunks } from "../test-support/bytes.js";
import { readWithSignal, toAbortError } from "./read-with-signal.js";

describe("readWithSignal", () => {
  it("yields every chunk of a body that ends, with or without a signal", async () => {
    const chunks = [encode("a"), encode("b")];
    expect(await collect(readWithSignal(fromChunks(chunks), new AbortController().signal))).toEqual(
      chunks,
    );
    expect(await collect(readWithSignal(fromChunks(chunks), undefined))).toEqual(chunks);
  });
});

describe("toAbortError", () => {
  it("surfaces an LLMError reason (a timeout) as is", () => {
    const timeout = new TimeoutError("idle", 10);
    expect(toAbortError(AbortSignal.abort(timeout))).toBe(timeout);
  });

  it("wraps any other reason in AbortError with the reason as cause", () => {
    const error = toAbortError(AbortSignal.abort("user left"), "Stopped");
    expect(error).toBeInstanceOf(AbortError);
    expect(error.message).toBe("Stopped");
    expect(error.cause).toBe("user left");
  });
});
