import type { RateLimitInfo, RateLimitWindow } from "@llm/core";

/**
 * Mistral's rate-limit headers → `RateLimitInfo`:
 * `x-ratelimit-{limit,remaining}-req-minute` (requests) and
 * `x-ratelimit-{limit,remaining}-tokens-minute` (tokens). Mistral sends no reset
 * time; both windows are a minute long, so `resetMs` is left out rather than
 * guessed. Returns `undefined` when there are none; values that do not parse are
 * left out.
 */
export function readMistralRateLimitHeaders(
  headers: Readonly<Record<string, string>>,
): RateLimitInfo | undefined {
  const requests = window(
    headers["x-ratelimit-limit-req-minute"],
    headers["x-ratelimit-remaining-req-minute"],
  );
  const tokens = window(
    headers["x-ratelimit-limit-tokens-minute"],
    headers["x-ratelimit-remaining-tokens-minute"],
  );
  if (requests === undefined && tokens === undefined) return undefined;
  const info: RateLimitInfo = {};
  if (requests !== undefined) info.requests = requests;
  if (tokens !== undefined) info.tokens = tokens;
  return info;
}

function window(
  limitText: string | undefined,
  remainingText: string | undefined,
): RateLimitWindow | undefined {
  const limit = count(limitText);
  const remaining = count(remainingText);
  if (limit === undefined && remaining === undefined) return undefined;
  const out: RateLimitWindow = {};
  if (limit !== undefined) out.limit = limit;
  if (remaining !== undefined) out.remaining = remaining;
  return out;
}

function count(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}
