import { readCount, type Usage } from "@llm/core";
import type { OpenAIUsage } from "./openai-api.js";

/**
 * Wire usage → `Usage`. `prompt_tokens` already includes cached tokens and
 * `completion_tokens` already includes reasoning tokens, so the details are
 * reported beside them, never added. Detail fields are set only when the
 * server sent them (a compatible server that omits them reports none). A count
 * that is not a non-negative integer (`"12"`, `-1`) is read as absent.
 */
export function convertOpenAIUsage(usage: OpenAIUsage | null | undefined): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const inputTokens = readCount(usage.prompt_tokens) ?? 0;
  const outputTokens = readCount(usage.completion_tokens) ?? 0;
  const out: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: readCount(usage.total_tokens) ?? inputTokens + outputTokens,
  };
  const cached = readCount(usage.prompt_tokens_details?.cached_tokens);
  if (cached !== undefined) out.cachedInputTokens = cached;
  const reasoning = readCount(usage.completion_tokens_details?.reasoning_tokens);
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  return out;
}
