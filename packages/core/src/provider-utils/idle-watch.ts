import { TimeoutError } from "../errors/errors.js";

/**
 * Fires `onIdle` with a `TimeoutError("idle")` when `touch()` has not been
 * called for `idleMs`. Keep-alive bytes never reach `touch()` — only frames
 * that carry something — so a server pinging forever is still cut.
 *
 * Cheap per frame: `touch()` records the time; the one timer re-arms itself
 * for the remaining gap when it fires early, instead of being reset per frame.
 */
export class IdleWatch {
  readonly #idleMs: number;
  readonly #onIdle: (error: TimeoutError) => void;
  #last = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(idleMs: number, onIdle: (error: TimeoutError) => void) {
    this.#idleMs = idleMs;
    this.#onIdle = onIdle;
  }

  start(): void {
    this.#last = Date.now();
    this.#arm(this.#idleMs);
  }

  touch(): void {
    this.#last = Date.now();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#check, ms);
    this.#timer.unref?.();
  }

  readonly #check = (): void => {
    const quiet = Date.now() - this.#last;
    if (quiet < this.#idleMs) {
      this.#arm(this.#idleMs - quiet);
      return;
    }
    this.#timer = undefined;
    this.#onIdle(new TimeoutError("idle", this.#idleMs));
  };
}
