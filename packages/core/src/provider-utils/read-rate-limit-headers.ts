import type { RateLimitInfo, RateLimitWindow } from "../rate-limit-info.js";

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Reads the rate-limit headers providers send on every answer (names in lower
 * case, as undici gives them):
 * - OpenAI and compatible servers: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`,
 *   resets as durations (`1s`, `6m0s`, `20ms`);
 * - Anthropic: `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}`, resets as
 *   RFC 3339 times;
 * - the IETF draft's `ratelimit-{limit,remaining,reset}` (requests; reset in seconds).
 * Returns `undefined` when there are none, so the common case costs two lookups.
 * Values that do not parse are left out, never guessed.
 */
export function readRateLimitHeaders(headers: Headers, now?: number): RateLimitInfo | undefined {
  if (
    headers["x-ratelimit-remaining-requests"] !== undefined ||
    headers["x-ratelimit-remaining-tokens"] !== undefined
  ) {
    return build(
      window(
        headers,
        "x-ratelimit-limit-requests",
        "x-ratelimit-remaining-requests",
        "x-ratelimit-reset-requests",
        parseDuration,
      ),
      window(
        headers,
        "x-ratelimit-limit-tokens",
        "x-ratelimit-remaining-tokens",
        "x-ratelimit-reset-tokens",
        parseDuration,
      ),
    );
  }
  if (
    headers["anthropic-ratelimit-requests-remaining"] !== undefined ||
    headers["anthropic-ratelimit-tokens-remaining"] !== undefined
  ) {
    // The clock is read only here: the OpenAI form and answers without these headers (most
    // stream starts) never need it.
    const at = now ?? Date.now();
    const parseTime = (value: string) => parseResetTime(value, at);
    return build(
      window(
        headers,
        "anthropic-ratelimit-requests-limit",
        "anthropic-ratelimit-requests-remaining",
        "anthropic-ratelimit-requests-reset",
        parseTime,
      ),
      window(
        headers,
        "anthropic-ratelimit-tokens-limit",
        "anthropic-ratelimit-tokens-remaining",
        "anthropic-ratelimit-tokens-reset",
        parseTime,
      ),
    );
  }
  if (headers["ratelimit-remaining"] !== undefined) {
    return build(
      window(headers, "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", (v) =>
        seconds(v),
      ),
      undefined,
    );
  }
  return undefined;
}

function window(
  headers: Headers,
  limitName: string,
  remainingName: string,
  resetName: string,
  parseReset: (value: string) => number | undefined,
): RateLimitWindow | undefined {
  const out: RateLimitWindow = {};
  const limit = count(first(headers[limitName]));
  const remaining = count(first(headers[remainingName]));
  const reset = first(headers[resetName]);
  const resetMs = reset === undefined ? undefined : parseReset(reset);
  if (limit !== undefined) out.limit = limit;
  if (remaining !== undefined) out.remaining = remaining;
  if (resetMs !== undefined) out.resetMs = resetMs;
  return Object.keys(out).length === 0 ? undefined : out;
}

function build(
  requests: RateLimitWindow | undefined,
  tokens: RateLimitWindow | undefined,
): RateLimitInfo | undefined {
  if (requests === undefined && tokens === undefined) return undefined;
  const info: RateLimitInfo = {};
  if (requests) info.requests = requests;
  if (tokens) info.tokens = tokens;
  return info;
}

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function count(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function seconds(value: string): number | undefined {
  const n = count(value);
  return n === undefined ? undefined : n * 1000;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** `6m0s`, `1.5s`, `20ms`, `1h2m` → ms; anything else → undefined. */
export function parseDuration(value: string): number | undefined {
  const text = value.trim();
  if (text.length === 0 || text.length > 32) return undefined;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const match = DURATION_PART.exec(text);
    if (match === null) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return Math.round(total);
}

function parseResetTime(value: string, now: number): number | undefined {
  if (value.length > 40) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
