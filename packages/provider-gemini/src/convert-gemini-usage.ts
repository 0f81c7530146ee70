import type { Usage } from "@llm/core";
import type { GeminiUsageMetadata } from "./gemini-api.js";

/**
 * `usageMetadata` → our `Usage`. Gemini counts thoughts apart from the
 * candidates, but bills them as output, so `outputTokens` includes them (as
 * OpenAI's `completion_tokens` does) and `reasoningTokens` says how many.
 * `inputTokens + outputTokens` then equals Gemini's `totalTokenCount` (which
 * may also include tool-use prompt tokens, hence we prefer the provider's total).
 */
export function convertGeminiUsage(usage: GeminiUsageMetadata | undefined): Usage {
  const input = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  const output = (usage?.candidatesTokenCount ?? 0) + thoughts;
  const result: Usage = {
    inputTokens: input,
    outputTokens: output,
    totalTokens: usage?.totalTokenCount ?? input + output,
  };
  if (usage?.cachedContentTokenCount !== undefined) {
    result.cachedInputTokens = usage.cachedContentTokenCount;
  }
  if (usage?.thoughtsTokenCount !== undefined) result.reasoningTokens = thoughts;
  return result;
}
