import type { CallOptions } from "../client.js";
import { AbortError, CircuitOpenError } from "../errors/errors.js";
import { isLLMError } from "../errors/llm-error.js";
import type { Middleware } from "../middleware.js";
import type { StreamEvent } from "../stream-event.js";
import { abortableSleep } from "./sleep.js";
import { attemptStream } from "./stream-content.js";

export interface RetryInfo {
  /** The attempt that just failed, from 1. */
  attempt: number;
  error: unknown;
  /** How long the middleware waits before the next attempt. */
  delayMs: number;
}

export interface RetryOptions {
  /** Attempts in total, the first included. Default 3. */
  maxAttempts?: number;
  /** Backoff base: attempt n waits up to `baseDelayMs * 2^(n-1)`. Default 500. */
  baseDelayMs?: number;
  /** Cap on one wait, backoff and provider hints alike. Default 30 000. */
  maxDelayMs?: number;
  /** Gives up when the next wait would end more than this after the first attempt started. */
  maxElapsedMs?: number;
  /**
   * Which errors are retried. Default: any `LLMError` with `retryable`, and
   * `CircuitOpenError` (waiting out its `retryAfterMs`, if within `maxDelayMs`).
   * `AbortError` is never retried, whatever this says.
   */
  retryOn?: (error: unknown, attempt: number) => boolean;
  onRetry?: (info: RetryInfo) => void;
  /**
   * Retry a stream that already yielded content (text, reasoning, tool call).
   * Default false: the consumer would see the answer restart. When true, the
   * events of the new attempt simply follow the ones already yielded.
   */
  retryStreamsAfterContent?: boolean;
  /** In [0, 1); injectable for deterministic tests. */
  random?: () => number;
  /** Injectable wait; must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Retries failed calls with exponential backoff and FULL jitter
 * (`random() * min(maxDelayMs, baseDelayMs * 2^(attempt-1))`, after AWS's
 * "Exponential Backoff And Jitter"), so a fleet of clients does not retry in
 * lock-step.
 *
 * A provider's hint (`retryAfterMs` on `RateLimitError`, `ProviderError`,
 * `CircuitOpenError`) is a floor: the wait is at least the hint. A hint
 * above `maxDelayMs` means "not soon": the middleware gives up at once and
 * rethrows rather than sleep past its cap. The caller's `AbortSignal`
 * interrupts a wait. When it gives up, the last error is rethrown unchanged.
 */
export function retryMiddleware(options: RetryOptions = {}): Middleware {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const retryOn = options.retryOn ?? defaultRetryOn;

  /** The wait before the next attempt, or `undefined` to give up. */
  const plan = (error: unknown, attempt: number, started: number, callOptions: CallOptions) => {
    if (attempt >= maxAttempts) return undefined;
    if (error instanceof AbortError || callOptions.signal?.aborted) return undefined;
    if (!retryOn(error, attempt)) return undefined;
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    let delayMs = Math.floor(random() * backoff);
    const hint = retryHint(error);
    if (hint !== undefined) {
      if (hint > maxDelayMs) return undefined;
      delayMs = Math.max(delayMs, hint);
    }
    if (
      options.maxElapsedMs !== undefined &&
      Date.now() - started + delayMs > options.maxElapsedMs
    ) {
      return undefined;
    }
    return delayMs;
  };

  return {
    name: "retry",
    async wrapGenerate({ request, options: callOptions, next }) {
      const started = Date.now();
      for (let attempt = 1; ; attempt++) {
        try {
          return await next(request, callOptions);
        } catch (error) {
          const delayMs = plan(error, attempt, started, callOptions);
          if (delayMs === undefined) throw error;
          options.onRetry?.({ attempt, error, delayMs });
          await sleep(delayMs, callOptions.signal);
        }
      }
    },
    async *wrapStream({ request, options: callOptions, next }): AsyncGenerator<StreamEvent> {
      const started = Date.now();
      const state = { content: false };
      for (let attempt = 1; ; attempt++) {
        try {
          yield* attemptStream(next(request, callOptions), state);
          return;
        } catch (error) {
          if (state.content && !options.retryStreamsAfterContent) throw error;
          const delayMs = plan(error, attempt, started, callOptions);
          if (delayMs === undefined) throw error;
          options.onRetry?.({ attempt, error, delayMs });
          await sleep(delayMs, callOptions.signal);
        }
      }
    },
  };
}

function defaultRetryOn(error: unknown): boolean {
  if (error instanceof CircuitOpenError) return true;
  return isLLMError(error) && error.retryable;
}

/** The provider's or breaker's "come back in" hint, in ms. */
function retryHint(error: unknown): number | undefined {
  if (!isLLMError(error)) return undefined;
  const hint = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof hint === "number" && Number.isFinite(hint) && hint >= 0 ? hint : undefined;
}
