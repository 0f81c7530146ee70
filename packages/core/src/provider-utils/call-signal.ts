import type { CallOptions } from "../client.js";
import { TimeoutError } from "../errors/errors.js";
import { toAbortError } from "../streaming/read-with-signal.js";
import { onAbort } from "./abort-listeners.js";

/**
 * The signal one call runs under: the caller's `signal`, the `timeoutMs`
 * deadline and — for streams — our own abort, used when the consumer stops
 * iterating early. Allocates nothing when there is nothing to combine, so a
 * plain `generate()` without a deadline pays only for the object literal.
 */
export interface CallSignal {
  signal: AbortSignal | undefined;
  /** Aborts the call (the consumer broke out of the stream, or a stream limit fired). */
  abort(reason?: unknown): void;
  /** Detaches from the caller's signal and clears the deadline timer. */
  dispose(): void;
}

const NOOP: CallSignal = { signal: undefined, abort() {}, dispose() {} };

/**
 * `defaultTimeoutMs` is the deadline used when the call sets no `timeoutMs`
 * (streams pass `ResponseLimits.streamTotalMs`; 0 or undefined: none).
 */
export function openCallSignal(
  options: CallOptions | undefined,
  ownAbort: boolean,
  defaultTimeoutMs?: number,
): CallSignal {
  const caller = options?.signal;
  const timeoutMs = options?.timeoutMs ?? (defaultTimeoutMs ? defaultTimeoutMs : undefined);
  if (!ownAbort && timeoutMs === undefined) {
    return caller === undefined ? NOOP : { signal: caller, abort() {}, dispose() {} };
  }
  if (caller?.aborted) throw toAbortError(caller);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (timeoutMs !== undefined) {
    timer = setTimeout(() => controller.abort(new TimeoutError("total", timeoutMs)), timeoutMs);
    timer.unref?.();
  }
  const offCaller = caller ? onAbort(caller, () => controller.abort(caller.reason)) : undefined;
  return {
    signal: controller.signal,
    abort(reason?: unknown) {
      if (!controller.signal.aborted) controller.abort(reason);
    },
    dispose() {
      clearTimeout(timer);
      offCaller?.();
    },
  };
}
