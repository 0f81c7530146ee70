import type { CallOptions } from "../client.js";
import { AbortError, CircuitOpenError } from "../errors/errors.js";
import { isLLMError } from "../errors/llm-error.js";
import { abortableSleep } from "./sleep.js";

export interface RetryInfo {
  /** The attempt that just failed, from 1. */
  attempt: number;
  error: unknown;
  /** How long the middleware waits before the next attempt. */
  delayMs: number;
  /** True when the next attempt resumes a stream whose caller already has part of the answer. */
  resume?: boolean;
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
   * Retry a stream that already yielded content (text, reasoning, tool call)
   * where `resumeStreams` does not apply (or its replay diverged). Default
   * false: the consumer would see the answer restart. When true, the events of
   * the new attempt simply follow the ones already yielded.
   */
  retryStreamsAfterContent?: boolean;
  /**
   * Resume a stream that broke after text or reasoning reached the caller,
   * instead of failing it: the next attempt (backoff, `onRetry` and
   * `maxAttempts` as for any retry) must replay exactly what the caller already
   * has — its `start` is dropped, its first text is checked against what was
   * shown — and only the part beyond is shown, so the caller sees one seamless
   * stream. A replay that says anything else, or a stream that had shown a
   * tool call, is not resumed: the error that cut the stream is thrown (with
   * `retryStreamsAfterContent`, a diverging replay is shown as a restart
   * instead). A resume pays for the whole answer again upstream.
   *
   * - `"deterministic"` (default): only requests whose replay is expected to
   *   match — `replaysIdentically`: `temperature: 0` set explicitly (see the
   *   sampling rule in `sampling.ts`). Others (temperature unset, i.e. the
   *   provider's sampling default, or above 0) would almost always diverge —
   *   a wasted call before the same error — so they fail exactly as without
   *   this option.
   * - `"always"`: any request (an upstream known to be deterministic, a seed).
   * - `false`: never.
   */
  resumeStreams?: "deterministic" | "always" | false;
  /** In [0, 1); injectable for deterministic tests. */
  random?: () => number;
  /** Injectable wait; must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** When to retry and how long to wait: one rule for chat calls and embedding batches. */
export interface RetryPlanner {
  /** The wait before attempt `attempt + 1`, or `undefined` to give up and rethrow. */
  plan(
    error: unknown,
    attempt: number,
    startedAt: number,
    options: CallOptions,
  ): number | undefined;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Exponential backoff with FULL jitter (`random() * min(maxDelayMs,
 * baseDelayMs * 2^(attempt-1))`, after AWS's "Exponential Backoff And
 * Jitter"). A provider's or breaker's `retryAfterMs` is a floor; a hint above
 * `maxDelayMs` means "not soon", so the planner gives up rather than sleep past
 * its cap. An abort is never retried.
 */
export function retryPlanner(options: RetryOptions = {}): RetryPlanner {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  const retryOn = options.retryOn ?? defaultRetryOn;
  return {
    sleep: options.sleep ?? abortableSleep,
    plan(error, attempt, startedAt, callOptions) {
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
        Date.now() - startedAt + delayMs > options.maxElapsedMs
      ) {
        return undefined;
      }
      return delayMs;
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
