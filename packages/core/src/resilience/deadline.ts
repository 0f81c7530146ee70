import { TimeoutError, type TimeoutPhase } from "../errors/errors.js";
import { linkSignals } from "../provider-utils/signals.js";
import { toAbortError } from "../streaming/read-with-signal.js";

/** One call's timers and the signal they abort. */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #linked;
  readonly signal: AbortSignal;
  #total: ReturnType<typeof setTimeout> | undefined;
  #gap: ReturnType<typeof setTimeout> | undefined;
  #rejectRace: ((error: unknown) => void) | undefined;
  readonly #expired: Promise<never>;

  constructor(callerSignal: AbortSignal | undefined) {
    this.#linked = linkSignals(callerSignal, this.#controller.signal);
    this.signal = this.#linked.signal;
    this.#expired = new Promise<never>((_, reject) => {
      this.#rejectRace = reject;
    });
    this.#expired.catch(() => undefined);
    const onAbort = () => this.#rejectRace?.(toAbortError(this.signal));
    if (this.signal.aborted) onAbort();
    else this.signal.addEventListener("abort", onAbort, { once: true });
  }

  arm(phase: TimeoutPhase, ms: number): void {
    this.#total = this.#timer(phase, ms);
  }

  armGap(phase: TimeoutPhase, ms: number): void {
    this.#gap = this.#timer(phase, ms);
  }

  disarmGap(): void {
    clearTimeout(this.#gap);
    this.#gap = undefined;
  }

  /** Settles with `work`, or rejects with the timeout / abort error first. */
  race<T>(work: Promise<T>): Promise<T> {
    // The loser must not surface as an unhandled rejection.
    work.catch(() => undefined);
    return Promise.race([work, this.#expired]);
  }

  dispose(): void {
    clearTimeout(this.#total);
    clearTimeout(this.#gap);
    this.#linked.dispose();
  }

  #timer(phase: TimeoutPhase, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.#controller.abort(new TimeoutError(phase, ms)), ms);
    timer.unref?.();
    return timer;
  }
}
