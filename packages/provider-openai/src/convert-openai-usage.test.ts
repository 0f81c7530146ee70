import { describe, expect, it } from "vitest";
import { convertOpenAIUsage } from "./convert-openai-usage.js";

describe("convertOpenAIUsage", () => {
  it("reports cached and reasoning tokens beside the totals without adding them", () => {
    expect(
      convertOpenAIUsage({
        prompt_tokens: 1200,
        completion_tokens: 300,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 1024 },
        completion_tokens_details: { reasoning_tokens: 128 },
      }),
    ).toEqual({
      inputTokens: 1200,
      outputTokens: 300,
      totalTokens: 1500,
      cachedInputTokens: 1024,
      reasoningTokens: 128,
    });
  });

  it("computes the total when a compatible server omits it and leaves details unset", () => {
    expect(convertOpenAIUsage({ prompt_tokens: 7, completion_tokens: 5 })).toEqual({
      inputTokens: 7,
      outputTokens: 5,
      totalTokens: 12,
    });
  });

  it("returns zero usage when there is none", () => {
    expect(convertOpenAIUsage(null)).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });
});
