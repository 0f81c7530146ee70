import { AbortError } from "../errors/errors.js";

/** What a transport hands a `RequestAborter`: the request it is running, to be ended on abort. */
export interface AbortTarget {
  /** End the request with `reason` (queued: drop it; before headers: reject; mid-body: fail the body). */
  abortRequest(reason: Error): void;
}

/**
 * A per-request abort that costs one small object, for a caller that must be
 * able to end its own request (a stream's deadline, a consumer that stopped
 * reading) but has no `AbortSignal` of its own to give. An `AbortController`
 * made per request costs a signal (an EventTarget) and the transport's
 * listener on it; here the transport registers itself as the one target.
 *
 * Honoured only by a transport whose `abortHandles` is `true`: with any other,
 * a caller must use `TransportRequest.signal` instead.
 */
export class RequestAborter {
  #aborted = false;
  #reason: Error | undefined;
  #target: AbortTarget | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why it was aborted; `undefined` until then. */
  get reason(): Error | undefined {
    return this.#reason;
  }

  /**
   * The transport's side: `target` is ended when `abort()` is called (at once
   * when it already was). One target at a time, the latest; `undefined`
   * detaches it, when the request is done or moves on (queue → dispatch).
   */
  listen(target: AbortTarget | undefined): void {
    if (this.#aborted && target !== undefined) {
      target.abortRequest(this.#reason as Error);
      return;
    }
    this.#target = target;
  }

  /**
   * Ends the request, once; later calls do nothing. `reason` becomes the
   * request's error (an `LLMError` such as `TimeoutError` is passed on as it
   * is); without one, an `AbortError`.
   */
  abort(reason?: Error): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason ?? new AbortError("The request was aborted by its caller");
    const target = this.#target;
    this.#target = undefined;
    target?.abortRequest(this.#reason);
  }
}
