import type { Usage } from "@llm/core";
import type { MistralUsage } from "./mistral-api.js";

/**
 * Wire usage → `Usage`. `prompt_tokens` already includes cached tokens and
 * `completion_tokens` reasoning tokens, so the details are reported beside
 * them, never added; they are set only when the API sent them.
 */
export function convertMistralUsage(usage: MistralUsage | null | undefined): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const inputTokens = usage.prompt_tokens ?? 0;
  const outputTokens = usage.completion_tokens ?? 0;
  const out: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: usage.total_tokens ?? inputTokens + outputTokens,
  };
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.num_cached_tokens;
  if (typeof cached === "number") out.cachedInputTokens = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === "number") out.reasoningTokens = reasoning;
  return out;
}
