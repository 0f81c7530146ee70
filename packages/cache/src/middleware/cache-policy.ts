import { asksForVariety, type CallOptions, type ChatRequest, type ChatResponse } from "@llm/core";

/** Decides what the cache middleware may serve from and write to the cache. */
export interface CachePolicy {
  /** Whether this request may be answered from, and stored in, the cache. */
  cacheable?(request: ChatRequest, options: CallOptions): boolean;
  /** Whether a finished answer may be stored. Default: `finishReason !== "error"`. */
  storable?(response: ChatResponse, request: ChatRequest): boolean;
  /** TTL of this answer; `undefined` falls back to the middleware's `ttlMs`. */
  ttlMs?(request: ChatRequest, response: ChatResponse): number | undefined;
  /** Tags of this answer, for `invalidateTag`. */
  tags?(request: ChatRequest, response: ChatResponse): string[];
}

/**
 * Per-call override, through `options.metadata.cache`:
 * - `false` or `"bypass"`: neither read nor write the cache;
 * - `"refresh"`: do not read, call upstream, store the fresh answer.
 */
export type CacheCallMode = "use" | "bypass" | "refresh";

export function callMode(options: CallOptions): CacheCallMode {
  const flag = options.metadata?.cache;
  if (flag === false || flag === "bypass") return "bypass";
  if (flag === "refresh") return "refresh";
  return "use";
}

/**
 * Which requests the default policy caches — the sampling rule of llm-kit
 * (written once, in `@llm/core`'s `asksForVariety`):
 *
 * - cached unless the caller asked for variety: an explicit `temperature > 0`,
 *   or several candidates (`n` / `candidateCount` > 1). Opt in to caching
 *   those with `allowNonDeterministic: true`.
 * - an UNSET temperature is cached. The provider then samples at its default
 *   (1.0 for OpenAI, Anthropic and Gemini, 0.8 for Ollama), but the caller
 *   asked for no particular variety, and the answer to a question is what a
 *   cache is for: the cache turns that sampling into one fixed answer for the
 *   entry's lifetime. Opt out with `cacheUnsetTemperature: false`.
 */
export interface SamplingRule {
  /** Also cache requests that ask for variety (`temperature > 0`, `n > 1`). Default false. */
  allowNonDeterministic?: boolean;
  /** Cache requests that leave `temperature` unset (the provider's sampling default). Default true. */
  cacheUnsetTemperature?: boolean;
}

export function defaultCacheable(rule: SamplingRule): (request: ChatRequest) => boolean {
  const variety = rule.allowNonDeterministic === true;
  const unset = rule.cacheUnsetTemperature !== false;
  return (request) =>
    (unset || request.temperature !== undefined) && (variety || !asksForVariety(request));
}

/** True when the default policy caches `request` (the rule above, with its defaults). */
export function isDeterministic(request: ChatRequest): boolean {
  return !asksForVariety(request);
}

export const defaultStorable = (response: ChatResponse): boolean =>
  response.finishReason !== "error";
