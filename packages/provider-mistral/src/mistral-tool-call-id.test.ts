import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toMistralToolCallId } from "./mistral-tool-call-id.js";

describe("toMistralToolCallId", () => {
  it("keeps Mistral's own nine-character ids", () => {
    expect(toMistralToolCallId("aB3dE5gH7")).toBe("aB3dE5gH7");
  });

  it("maps any other id to nine letters and digits, the same every time", () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        const mapped = toMistralToolCallId(id);
        expect(mapped).toMatch(/^[A-Za-z0-9]{9}$/);
        expect(toMistralToolCallId(id)).toBe(mapped);
      }),
    );
  });

  it("gives different ids different results", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `call_${i}`);
    expect(new Set(ids.map(toMistralToolCallId)).size).toBe(ids.length);
    expect(toMistralToolCallId("call_ab")).not.toBe(toMistralToolCallId("call_ba"));
  });
});
