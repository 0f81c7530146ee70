import type { Usage } from "@llm/core";
import type { OpenAIUsage } from "./openai-api.js";

/**
 * Wire usage → `Usage`. `prompt_tokens` already includes cached tokens and
 * `completion_tokens` already includes reasoning tokens, so the details are
 * reported beside them, never added. Detail fields are set only when the
 * server sent them (a compatible server that omits them reports none).
 */
export function convertOpenAIUsage(usage: OpenAIUsage | null | undefined): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const inputTokens = usage.prompt_tokens ?? 0;
  const outputTokens = usage.completion_tokens ?? 0;
  const out: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: usage.total_tokens ?? inputTokens + outputTokens,
  };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === "number") out.cachedInputTokens = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === "number") out.reasoningTokens = reasoning;
  return out;
}
