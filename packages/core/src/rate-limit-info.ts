/** One dimension of a provider's rate limit, as its response headers state it. */
export interface RateLimitWindow {
  /** The provider's limit for the window. */
  limit?: number;
  /** What is left of it. */
  remaining?: number;
  /** Milliseconds until the window is full again. */
  resetMs?: number;
}

/**
 * What the provider said about its rate limits on an answer (OpenAI's
 * `x-ratelimit-*`, Anthropic's `anthropic-ratelimit-*`, the IETF `ratelimit-*`
 * fields). Rate limiters learn from it; absent when the provider sends none.
 */
export interface RateLimitInfo {
  requests?: RateLimitWindow;
  tokens?: RateLimitWindow;
}
