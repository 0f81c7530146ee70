import { readCount, type Usage } from "@llm/core";
import type { BedrockUsage } from "./bedrock-api.js";

/**
 * Converse usage → ours. Bedrock's `inputTokens` leaves out prompt-cache reads
 * and writes (as Anthropic's does), so our `inputTokens` adds them back: it
 * counts every prompt token, and `cachedInputTokens` says how many were reads.
 * `totalTokens` is that input plus the output, as for every provider (Bedrock's
 * own `totalTokens` counts the same tokens). A count that is not a
 * non-negative integer ("12", -1) is read as absent.
 */
export function convertBedrockUsage(usage: BedrockUsage | undefined): Usage {
  const read = readCount(usage?.cacheReadInputTokens);
  const write = readCount(usage?.cacheWriteInputTokens) ?? 0;
  const inputTokens = (readCount(usage?.inputTokens) ?? 0) + (read ?? 0) + write;
  const outputTokens = readCount(usage?.outputTokens) ?? 0;
  const out: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
  };
  if (read !== undefined) out.cachedInputTokens = read;
  return out;
}
