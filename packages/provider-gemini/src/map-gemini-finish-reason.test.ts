import { describe, expect, it } from "vitest";
import { convertGeminiUsage } from "./convert-gemini-usage.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";

describe("mapGeminiFinishReason", () => {
  it.each([
    ["STOP", false, "stop"],
    ["STOP", true, "tool-calls"],
    ["MAX_TOKENS", false, "length"],
    ["SAFETY", false, "content-filter"],
    ["RECITATION", false, "content-filter"],
    ["BLOCKLIST", false, "content-filter"],
    ["PROHIBITED_CONTENT", false, "content-filter"],
    ["SPII", false, "content-filter"],
    ["IMAGE_SAFETY", false, "content-filter"],
    ["MALFORMED_FUNCTION_CALL", false, "error"],
    ["UNEXPECTED_TOOL_CALL", true, "error"],
    ["LANGUAGE", false, "other"],
    ["OTHER", false, "other"],
    ["FINISH_REASON_UNSPECIFIED", false, "other"],
    [undefined, false, "other"],
    [undefined, true, "tool-calls"],
  ] as const)("maps %s (tool calls: %s) to %s", (raw, hasToolCalls, expected) => {
    expect(mapGeminiFinishReason(raw, hasToolCalls)).toBe(expected);
  });
});

describe("convertGeminiUsage", () => {
  it("counts thoughts as output and reports them as reasoning tokens, with cached input", () => {
    expect(
      convertGeminiUsage({
        promptTokenCount: 100,
        candidatesTokenCount: 20,
        thoughtsTokenCount: 30,
        cachedContentTokenCount: 64,
        totalTokenCount: 150,
      }),
    ).toEqual({
      inputTokens: 100,
      outputTokens: 50,
      totalTokens: 150,
      cachedInputTokens: 64,
      reasoningTokens: 30,
    });
  });

  it("adds tool-use prompt tokens to the input and sums a missing total", () => {
    expect(
      convertGeminiUsage({
        promptTokenCount: 10,
        toolUsePromptTokenCount: 5,
        candidatesTokenCount: 2,
      }),
    ).toEqual({
      inputTokens: 15,
      outputTokens: 2,
      totalTokens: 17,
    });
  });

  it("is all zeros without usage metadata", () => {
    expect(convertGeminiUsage(undefined)).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      totalTokens: 0,
    });
  });
});
