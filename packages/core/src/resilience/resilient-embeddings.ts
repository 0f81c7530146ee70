import type { CallOptions } from "../client.js";
import type {
  EmbeddingClient,
  EmbeddingRequest,
  EmbeddingResponse,
} from "../embeddings/embedding-client.js";
import type { CircuitBreaker } from "./circuit-breaker.js";
import { Deadline } from "./deadline.js";
import { type RetryOptions, retryPlanner } from "./retry-plan.js";

export interface EmbeddingResilienceOptions {
  /**
   * Retries of a failed batch, by the same rule as `retryMiddleware` (full
   * jitter, provider hints as a floor, aborts never retried). One batch is
   * one idempotent request, so every retryable failure is retried.
   */
  retry?: RetryOptions;
  /** Refuses batches while the embedding endpoint is failing (one breaker per client). */
  breaker?: CircuitBreaker;
  /**
   * Deadline of one batch, per attempt; a per-call `timeoutMs` wins. On expiry
   * the upstream call is aborted and the caller gets a `TimeoutError` (phase
   * `total`).
   */
  timeoutMs?: number;
}

/**
 * Wraps an embedding client in the chat chain's retry → circuit breaker →
 * timeout, innermost last, so the breaker counts every attempt and each
 * attempt has its own deadline. No fallback to another client on purpose:
 * vectors of two models live in different spaces, and mixing them in one
 * index silently breaks search.
 *
 * The wrapped client keeps the inner one's provider, model, cache scope and
 * batch limits, so `embedMany` and `cachedEmbeddings` treat it as the same
 * upstream.
 */
export function withEmbeddingResilience(
  client: EmbeddingClient,
  options: EmbeddingResilienceOptions,
): EmbeddingClient {
  const planner = options.retry ? retryPlanner(options.retry) : undefined;
  const onRetry = options.retry?.onRetry;
  const breaker = options.breaker;

  const attempt = async (
    request: EmbeddingRequest,
    callOptions: CallOptions,
  ): Promise<EmbeddingResponse> => {
    const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs;
    const call = (signalled: CallOptions) =>
      breaker
        ? breaker.execute(() => client.embedBatch(request, signalled))
        : client.embedBatch(request, signalled);
    if (timeoutMs === undefined) return call(callOptions);
    const deadline = new Deadline(callOptions.signal);
    try {
      deadline.arm("total", timeoutMs);
      return await deadline.race(call({ ...callOptions, signal: deadline.signal, timeoutMs }));
    } finally {
      deadline.dispose();
    }
  };

  return {
    provider: client.provider,
    maxInputsPerCall: client.maxInputsPerCall,
    ...(client.model !== undefined && { model: client.model }),
    ...(client.cacheScope !== undefined && { cacheScope: client.cacheScope }),
    ...(client.maxParallelCalls !== undefined && { maxParallelCalls: client.maxParallelCalls }),
    async embedBatch(request, callOptions = {}) {
      if (!planner) return attempt(request, callOptions);
      const started = Date.now();
      for (let n = 1; ; n++) {
        try {
          return await attempt(request, callOptions);
        } catch (error) {
          const delayMs = planner.plan(error, n, started, callOptions);
          if (delayMs === undefined) throw error;
          onRetry?.({ attempt: n, error, delayMs });
          await planner.sleep(delayMs, callOptions.signal);
        }
      }
    },
  };
}
