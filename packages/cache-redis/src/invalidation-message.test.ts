import { describe, expect, it } from "vitest";
import {
  decodeInvalidation,
  encodeInvalidation,
  MAX_INVALIDATION_MESSAGE_CHARS,
} from "./invalidation-message.js";

describe("decodeInvalidation", () => {
  it("decodes a message up to MAX_INVALIDATION_MESSAGE_CHARS", () => {
    const key = "k".repeat(1000);
    expect(decodeInvalidation(encodeInvalidation("o1", { type: "key", key }))).toEqual({
      origin: "o1",
      invalidation: { type: "key", key },
    });
  });

  it("ignores a longer message without parsing it", () => {
    const message = encodeInvalidation("o1", {
      type: "key",
      key: "k".repeat(MAX_INVALIDATION_MESSAGE_CHARS),
    });
    expect(message.length).toBeGreaterThan(MAX_INVALIDATION_MESSAGE_CHARS);
    expect(decodeInvalidation(message)).toBeUndefined();
  });
});
