import { readCount, type Usage } from "@llm/core";
import type { AnthropicUsage } from "./anthropic-api.js";

/**
 * Wire usage → `Usage`. Anthropic's `input_tokens` counts only the tokens
 * that were neither read from nor written to the prompt cache, so the total
 * input is the sum of the three; `cachedInputTokens` is the cache reads.
 * Anthropic does not report thinking tokens separately (they are in
 * `output_tokens`), so `reasoningTokens` stays unset.
 */
export function convertAnthropicUsage(usage: AnthropicUsage | null | undefined): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  // A count that is not a non-negative integer ("12", -1) is read as absent.
  const cacheRead = readCount(usage.cache_read_input_tokens);
  const inputTokens =
    (readCount(usage.input_tokens) ?? 0) +
    (readCount(usage.cache_creation_input_tokens) ?? 0) +
    (cacheRead ?? 0);
  const outputTokens = readCount(usage.output_tokens) ?? 0;
  const out: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (cacheRead !== undefined) out.cachedInputTokens = cacheRead;
  return out;
}

/**
 * Streams report usage twice: `message_start` (input, cache) and
 * `message_delta` (final output, sometimes a corrected input). Later non-null
 * fields win.
 */
export function mergeAnthropicUsage(
  base: AnthropicUsage | undefined,
  update: AnthropicUsage | null | undefined,
): AnthropicUsage | undefined {
  if (!update) return base;
  if (!base) return { ...update };
  const out: AnthropicUsage = { ...base };
  if (update.input_tokens != null) out.input_tokens = update.input_tokens;
  if (update.output_tokens != null) out.output_tokens = update.output_tokens;
  if (update.cache_creation_input_tokens != null) {
    out.cache_creation_input_tokens = update.cache_creation_input_tokens;
  }
  if (update.cache_read_input_tokens != null)
    out.cache_read_input_tokens = update.cache_read_input_tokens;
  return out;
}
