import type { Usage } from "@llm/core";
import type { BedrockUsage } from "./bedrock-api.js";

/** Wire usage → `Usage`, with cached and reasoning tokens when the API reports them. */
export function convertBedrockUsage(usage: BedrockUsage | null | undefined): Usage {
  const input = usage?.prompt_tokens ?? 0;
  const output = usage?.completion_tokens ?? 0;
  const result: Usage = {
    inputTokens: input,
    outputTokens: output,
    totalTokens: usage?.total_tokens ?? input + output,
  };
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  if (cached !== undefined) result.cachedInputTokens = cached;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  return result;
}
