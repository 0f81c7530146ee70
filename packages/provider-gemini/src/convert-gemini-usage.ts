import { readCount, type Usage } from "@llm/core";
import type { GeminiUsageMetadata } from "./gemini-api.js";

/**
 * `usageMetadata` → our `Usage`. Gemini counts thoughts apart from the
 * candidates, but bills them as output, so `outputTokens` includes them (as
 * OpenAI's `completion_tokens` does) and `reasoningTokens` says how many.
 * `inputTokens + outputTokens` then equals Gemini's `totalTokenCount` (which
 * may also include tool-use prompt tokens, hence we prefer the provider's total).
 * A count that is not a non-negative integer ("12", -1) is read as absent.
 */
export function convertGeminiUsage(usage: GeminiUsageMetadata | undefined): Usage {
  const input =
    (readCount(usage?.promptTokenCount) ?? 0) + (readCount(usage?.toolUsePromptTokenCount) ?? 0);
  const thoughts = readCount(usage?.thoughtsTokenCount);
  const output = (readCount(usage?.candidatesTokenCount) ?? 0) + (thoughts ?? 0);
  const result: Usage = {
    inputTokens: input,
    outputTokens: output,
    totalTokens: readCount(usage?.totalTokenCount) ?? input + output,
  };
  const cached = readCount(usage?.cachedContentTokenCount);
  if (cached !== undefined) result.cachedInputTokens = cached;
  if (thoughts !== undefined) result.reasoningTokens = thoughts;
  return result;
}
