import { TimeoutError } from "../errors/errors.js";

/** What a limit that passes aborts: the stream's call (a `CallSignal`). */
export interface Abortable {
  abort(reason: TimeoutError): void;
}

/**
 * A stream's two time limits on one timer: the whole-stream deadline, counted
 * from the call's start, and the idle limit, counted from `startIdle()` (the
 * response's headers) and reset by `touch()`. Keep-alive bytes never reach
 * `touch()` — only frames that carry something — so a server pinging forever
 * is still cut.
 *
 * One timer instead of one per limit, and none reset per frame: `touch()` only
 * records the time, and the timer, armed for the nearest limit, re-arms itself
 * for what is left when it fires early. It can only fire early — limits only
 * move later — so no limit is ever overshot.
 */
export class StreamDeadline {
  /** Whole-stream limit; `undefined`: none. */
  readonly #totalMs: number | undefined;
  /** Idle limit; 0: none. */
  readonly #idleMs: number;
  readonly #deadline: number;
  readonly #target: Abortable;
  /** When the last frame (or the headers) arrived; 0 until `startIdle()`. */
  #last = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Arms at once for whichever limit comes first; `target.abort()` is called at most
   * once, with a `TimeoutError`. An object, not a callback: no closure per stream.
   */
  constructor(totalMs: number | undefined, idleMs: number, target: Abortable) {
    this.#totalMs = totalMs;
    this.#idleMs = Math.max(idleMs, 0);
    this.#target = target;
    this.#deadline = totalMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + totalMs;
    if (totalMs !== undefined) this.#arm(idleMs > 0 ? Math.min(totalMs, idleMs) : totalMs);
    else if (idleMs > 0) this.#arm(idleMs);
  }

  /** The response started: the idle limit counts from now. */
  startIdle(): void {
    this.#last = Date.now();
  }

  /** A frame with content arrived. */
  touch(): void {
    this.#last = Date.now();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    // The watch rides along as the timer's argument: no bound function per stream.
    this.#timer = setTimeout(check, ms, this);
    this.#timer.unref?.();
  }

  /** The timer fired: a limit passed, or one moved later and the timer is re-armed. */
  check(): void {
    this.#timer = undefined;
    const now = Date.now();
    let wait = this.#deadline - now;
    if (wait <= 0) {
      this.#target.abort(new TimeoutError("total", this.#totalMs as number));
      return;
    }
    const idleMs = this.#idleMs;
    if (idleMs > 0) {
      // Before startIdle() the idle limit has not begun: look again one idle period on.
      const left = this.#last === 0 ? idleMs : idleMs - (now - this.#last);
      if (left <= 0) {
        this.#target.abort(new TimeoutError("idle", idleMs));
        return;
      }
      wait = Math.min(wait, left);
    }
    this.#arm(wait);
  }
}

function check(watch: StreamDeadline): void {
  watch.check();
}
