import { AbortError, type ChatResponse, onAbort, type StreamEvent } from "@llm/core";

/**
 * One upstream call shared by every identical request that arrives while it
 * runs (single-flight). A stream flight records its events: a late joiner
 * reads the buffered ones, then waits for the live ones. A generate flight
 * just holds the promised response.
 *
 * The upstream call runs under the flight's own AbortController, not the
 * first caller's signal: one caller giving up must not fail the others. The
 * call is aborted only when every caller has gone.
 */
export class Flight {
  readonly controller = new AbortController();
  readonly events: StreamEvent[] = [];
  readonly startedAt: number;
  #state: "running" | "done" | "failed" = "running";
  #error: unknown;
  #response: ChatResponse | undefined;
  #consumers = 0;
  #wake: (() => void) | undefined;
  #changed: Promise<void>;

  constructor(
    readonly kind: "generate" | "stream",
    startedAt: number,
  ) {
    this.startedAt = startedAt;
    this.#changed = this.#nextChange();
  }

  /** Registers a caller; the returned function unregisters it (aborting upstream if it was the last). */
  attach(): () => void {
    this.#consumers++;
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      this.#consumers--;
      if (this.#consumers === 0 && this.#state === "running") {
        this.controller.abort(new AbortError("Every caller of this request went away"));
      }
    };
  }

  push(event: StreamEvent): void {
    this.events.push(event);
    this.#signal();
  }

  succeed(response?: ChatResponse): void {
    if (this.#state !== "running") return;
    this.#response = response;
    this.#state = "done";
    this.#signal();
  }

  fail(error: unknown): void {
    if (this.#state !== "running") return;
    this.#state = "failed";
    this.#error = error;
    this.#signal();
  }

  /** The generate result (generate flights only). */
  get response(): ChatResponse | undefined {
    return this.#response;
  }

  /** Waits for the flight to finish; throws its error, or AbortError if `signal` fires first. */
  async wait(signal: AbortSignal | undefined): Promise<void> {
    while (this.#state === "running") await this.#nextEvent(signal);
    if (this.#state === "failed") throw this.#error;
  }

  /** Buffered events from `from`, then live ones, until the flight ends. Caller must be attached. */
  async *read(signal: AbortSignal | undefined, from = 0): AsyncGenerator<StreamEvent> {
    let index = from;
    while (true) {
      while (index < this.events.length) {
        if (signal?.aborted) throw abortError(signal);
        yield this.events[index++]!;
      }
      if (this.#state === "done") return;
      if (this.#state === "failed") throw this.#error;
      await this.#nextEvent(signal);
    }
  }

  #nextEvent(signal: AbortSignal | undefined): Promise<void> {
    if (signal === undefined) return this.#changed;
    if (signal.aborted) return Promise.reject(abortError(signal));
    // Through core's `onAbort`: every caller waiting on a shared signal costs it no listener.
    return new Promise<void>((resolve, reject) => {
      const off = onAbort(signal, () => reject(abortError(signal)));
      this.#changed.then(() => {
        off();
        resolve();
      });
    });
  }

  #signal(): void {
    const wake = this.#wake;
    this.#changed = this.#nextChange();
    wake?.();
  }

  #nextChange(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }
}

function abortError(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  return reason instanceof AbortError
    ? reason
    : new AbortError("The request was aborted", { cause: reason });
}
