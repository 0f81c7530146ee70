import { describe, expect, it } from "vitest";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";

describe("mapOpenAIFinishReason", () => {
  it.each([
    ["stop", "stop"],
    ["length", "length"],
    ["content_filter", "content-filter"],
    ["tool_calls", "tool-calls"],
    ["function_call", "tool-calls"],
    ["something_new", "other"],
    [null, "other"],
    [undefined, "other"],
  ] as const)("maps %s to %s", (raw, unified) => {
    expect(mapOpenAIFinishReason(raw)).toBe(unified);
  });
});
