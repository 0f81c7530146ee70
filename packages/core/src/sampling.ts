import type { ChatRequest } from "./request.js";

/**
 * THE sampling rule of llm-kit — every part that decides from `temperature`
 * reads it here (`@llm/cache`'s default policy, `@llm/di`'s per-client cache
 * policy, `retryMiddleware`'s `resumeStreams: "deterministic"`).
 *
 * When `temperature` is unset, OpenAI, Anthropic and Gemini sample at 1.0
 * and Ollama at 0.8: the provider samples. Two different questions follow,
 * and they get two different answers on purpose:
 *
 * 1. May a cache answer it? — `asksForVariety`. Yes unless the caller asked
 *    for variety: `temperature > 0` set explicitly, or several candidates
 *    (`n` / `candidateCount` > 1 in `providerOptions`). An unset temperature
 *    asks for no particular variety: it is cached, and the cache turns the
 *    provider's sampling into one fixed answer for the entry's lifetime. A
 *    cache is an opt-in, and "the answer to this question" is what most
 *    callers want from it. Opt out per client with the cache policy
 *    `cacheUnsetTemperature: false`; opt in to caching variety with
 *    `allowNonDeterministic: true`.
 * 2. Will the provider say the same again? — `replaysIdentically`. Only
 *    when `temperature: 0` is set explicitly: an unset temperature is the
 *    provider's default, which samples, so a replay would diverge.
 *    `retryMiddleware` resumes a broken stream only then (by default).
 */
export function asksForVariety(request: ChatRequest): boolean {
  if (request.temperature !== undefined && request.temperature > 0) return true;
  const options = request.providerOptions;
  if (options === undefined) return false;
  for (const provider in options) {
    const bag = options[provider];
    if (bag === undefined || bag === null || typeof bag !== "object") continue;
    if (several(bag.n) || several(bag.candidateCount)) return true;
  }
  return false;
}

/** True when the caller left `temperature` unset: the provider's default (sampling) applies. */
export const leavesTemperatureUnset = (request: ChatRequest): boolean =>
  request.temperature === undefined;

/** See `asksForVariety`: only an explicit `temperature: 0` makes a replay expected to match. */
export function replaysIdentically(request: ChatRequest): boolean {
  return request.temperature === 0 && !asksForVariety(request);
}

const several = (value: unknown): boolean => typeof value === "number" && value > 1;
