import type { ChatRequest } from "@llm/core";
import type { BeforeRequestPayload } from "./hook-map.js";

type Fold = (payload: unknown, result: unknown) => unknown;

/**
 * How a handler's result feeds the next handler in series mode. Built-in
 * points whose result differs from their payload say how to fold it in;
 * for every other point (including user-defined ones) the result replaces
 * the payload.
 */
const folds: Record<string, Fold> = {
  beforeRequest: (payload, result) => ({
    ...(payload as BeforeRequestPayload),
    request: result as ChatRequest,
  }),
  afterResponse: (payload) => payload,
  onError: (payload) => payload,
  onStreamEvent: (payload) => payload,
  onRetry: (payload) => payload,
  onFallback: (payload) => payload,
  onCacheHit: (payload) => payload,
  onCacheMiss: (payload) => payload,
  onCacheCorrupt: (payload) => payload,
  onCacheFlight: (payload) => payload,
  onConfigChange: (payload) => payload,
};

export function foldSeriesResult(hook: string, payload: unknown, result: unknown): unknown {
  if (result === undefined) return payload;
  const fold = folds[hook];
  return fold ? fold(payload, result) : result;
}
