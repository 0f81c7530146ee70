import type { Usage } from "@llm/core";
import type { BedrockUsage } from "./bedrock-api.js";

/**
 * Converse usage → ours. Bedrock's `inputTokens` leaves out prompt-cache reads
 * and writes (as Anthropic's does), so our `inputTokens` adds them back: it
 * counts every prompt token, and `cachedInputTokens` says how many were reads.
 * `totalTokens` is that input plus the output, as for every provider (Bedrock's
 * own `totalTokens` counts the same tokens).
 */
export function convertBedrockUsage(usage: BedrockUsage | undefined): Usage {
  const read = usage?.cacheReadInputTokens ?? 0;
  const write = usage?.cacheWriteInputTokens ?? 0;
  const inputTokens = (usage?.inputTokens ?? 0) + read + write;
  const outputTokens = usage?.outputTokens ?? 0;
  const out: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
  };
  if (usage?.cacheReadInputTokens !== undefined) out.cachedInputTokens = read;
  return out;
}
