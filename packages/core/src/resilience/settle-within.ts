import { TimeoutError } from "../errors/errors.js";
import { onAbort as listenForAbort } from "../provider-utils/abort-listeners.js";
import { toAbortError } from "../streaming/read-with-signal.js";

export interface SettleWithinOptions<F> {
  /** Longest wait, in ms. No timer at all when undefined, ≤ 0 or not finite. */
  timeoutMs?: number | undefined;
  /**
   * Settles the wait when the timer fires: the wait resolves with what it
   * returns, or rejects with what it throws. Default: throws
   * `TimeoutError("total", timeoutMs)`.
   */
  onTimeout?: () => F;
  /** Stops the wait when it aborts (at once when it already has). */
  signal?: AbortSignal | undefined;
  /**
   * Settles the wait when `signal` aborts, as `onTimeout` does. Default:
   * throws `toAbortError(signal)` (the signal's reason when that is an `LLMError`).
   */
  onAbort?: (signal: AbortSignal) => F;
  /**
   * Lets the process exit while only this timer is pending. Default false: a
   * script awaiting the result must get its answer, not exit halfway.
   */
  unref?: boolean;
}

/**
 * Waits for `work`, bounded by a timer and/or an `AbortSignal`: settles as
 * `work` does, unless the timer fires first (then as `onTimeout()` does) or
 * the signal aborts first (then as `onAbort(signal)` does). `work` itself is
 * not cancelled — pass it the same signal for that — but it is always
 * observed, so its rejection after it lost is never an unhandled one. The
 * timer and the abort listener (one per signal, via `onAbort` of
 * `provider-utils`) are cleared as soon as the wait settles, whichever way.
 *
 * One callback shape serves both kinds of caller: one that fails on timeout
 * throws from `onTimeout`, one that goes on without the answer returns a
 * value (`false`, `undefined`, a sentinel) from it.
 */
export function settleWithin<T, F = never>(
  work: PromiseLike<T>,
  options: SettleWithinOptions<F>,
): Promise<T | F> {
  const { timeoutMs, signal } = options;
  const timed = timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs);
  if (!timed && signal === undefined) return Promise.resolve(work);
  return new Promise<T | F>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let off: (() => void) | undefined;
    let settled = false;
    // The first outcome wins; the losers' callbacks never run, so an
    // `onTimeout` with side effects (aborting a controller) runs only when it wins.
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      off?.();
      settle();
    };
    const settleAs = (fallback: () => F) =>
      finish(() => {
        try {
          resolve(fallback());
        } catch (error) {
          reject(error);
        }
      });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
    if (signal !== undefined) {
      const aborted = () => settleAs(() => (options.onAbort ?? throwAbortError)(signal));
      if (signal.aborted) {
        aborted();
        return;
      }
      off = listenForAbort(signal, aborted);
    }
    if (timed) {
      const fired = () => settleAs(options.onTimeout ?? (() => throwTimeout(timeoutMs)));
      timer = setTimeout(fired, timeoutMs);
      if (options.unref === true) timer.unref?.();
    }
  });
}

function throwAbortError(signal: AbortSignal): never {
  throw toAbortError(signal);
}

function throwTimeout(timeoutMs: number): never {
  throw new TimeoutError("total", timeoutMs);
}
