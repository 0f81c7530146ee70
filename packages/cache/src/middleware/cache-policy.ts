import type { CallOptions, ChatRequest, ChatResponse } from "@llm/core";

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
 * The default: a request is cacheable when its answer is meant to be
 * repeatable — `temperature` is 0 or not set. Without a temperature the
 * caller asked for no variety, and adding a cache is already an opt-in; a
 * request with `temperature > 0` asks for a different answer each time, so
 * it is only cached with `allowNonDeterministic: true`.
 */
export function isDeterministic(request: ChatRequest): boolean {
  return request.temperature === undefined || request.temperature === 0;
}

export const defaultStorable = (response: ChatResponse): boolean =>
  response.finishReason !== "error";
