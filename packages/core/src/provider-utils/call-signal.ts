import type { CallOptions } from "../client.js";
import { TimeoutError } from "../errors/errors.js";
import { toAbortError } from "../streaming/read-with-signal.js";
import { RequestAborter } from "../transport/request-aborter.js";
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
  /** Set when the call's own abort goes through the transport's abort handle, not `signal`. */
  readonly aborter?: RequestAborter;
}

const NOOP: CallSignal = { signal: undefined, abort() {}, dispose() {} };

/**
 * Our own controller, following the caller's signal, with an optional
 * deadline. A class rather than a literal of closures: one object per call.
 */
class OwnSignal implements CallSignal {
  readonly signal: AbortSignal;
  readonly #controller: AbortController;
  readonly #offCaller: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(caller: AbortSignal | undefined, timeoutMs: number | undefined) {
    const controller = new AbortController();
    this.#controller = controller;
    this.signal = controller.signal;
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(
        () => controller.abort(new TimeoutError("total", timeoutMs)),
        timeoutMs,
      );
      this.#timer.unref?.();
    }
    this.#offCaller = caller ? onAbort(caller, () => controller.abort(caller.reason)) : undefined;
  }

  abort(reason?: unknown): void {
    if (!this.signal.aborted) this.#controller.abort(reason);
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#offCaller?.();
  }
}

/**
 * Our own abort through the transport's abort handle (`Transport.abortHandles`):
 * the caller's signal goes to the transport as it is, and no AbortController,
 * signal or listener is made for the call.
 */
class AborterCall implements CallSignal {
  readonly signal: AbortSignal | undefined;
  readonly aborter = new RequestAborter();

  constructor(caller: AbortSignal | undefined) {
    this.signal = caller;
  }

  abort(reason?: unknown): void {
    this.aborter.abort(reason instanceof Error ? reason : undefined);
  }

  dispose(): void {
    // Nothing to detach: the transport lets go of the aborter when its request is done.
  }
}

/**
 * `defaultTimeoutMs` is the deadline used when the call sets no `timeoutMs`
 * (0 or undefined: none).
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
  return new OwnSignal(caller, timeoutMs);
}

/**
 * Our own abort, following the caller's signal, with no deadline: for a stream,
 * whose deadline and idle limit share one timer (`StreamDeadline`). Throws
 * `AbortError` at once when the caller's signal is already aborted. Over a
 * `transport` that honours abort handles, the abort is a `RequestAborter`
 * (the returned `aborter`, to send with the request) and `signal` is the
 * caller's own; otherwise an AbortController following the caller's signal.
 */
export function openOwnSignal(
  caller: AbortSignal | undefined,
  transport?: { readonly abortHandles?: boolean },
): CallSignal {
  if (caller?.aborted) throw toAbortError(caller);
  return transport?.abortHandles === true
    ? new AborterCall(caller)
    : new OwnSignal(caller, undefined);
}
