import { onAbort } from "../provider-utils/abort-listeners.js";
import { toAbortError } from "../streaming/read-with-signal.js";

/**
 * Waits `ms`, or throws the abort error as soon as `signal` aborts (the timer
 * is then cleared). The timer is deliberately NOT unref'd: during a backoff
 * nothing else may hold the event loop, and a script awaiting a retry would
 * otherwise exit in the middle of it.
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(toAbortError(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off?.();
      resolve();
    }, ms);
    const off = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(toAbortError(signal));
        })
      : undefined;
  });
}
