import type { StreamEvent } from "@llm/core";
import { canonicalJson } from "../key/canonical-json.js";
import { StreamDivergedError } from "./stream-diverged-error.js";

/**
 * Keeps a caller from seeing any part of a stream twice when the stream is
 * restarted under it: a cross-process follower whose leader died re-runs the
 * request (or follows the leader that took over), and the new answer starts
 * again from its first event while the caller has already been shown a prefix.
 *
 * Choice: reconcile, and fail typed on disagreement. The new events are
 * checked against what was shown and only what lies beyond it is passed on.
 * Cacheable requests are deterministic (temperature 0 by default policy), so
 * the re-run usually repeats the prefix and the caller sees one seamless
 * answer. When it does not, splicing two answers would be a lie and
 * restarting would repeat text, so the stream fails with
 * `StreamDivergedError`.
 *
 * Text is compared as text, not event by event: a re-run may cut the same
 * text into different deltas. Other events compare by value, except `start`,
 * whose id and origin differ per call by nature.
 */
export class PrefixReconciler {
  /** Position in `shown` the current attempt has reached. */
  #index = 0;
  /** Characters of `shown[#index]` (a text delta) the current attempt has repeated. */
  #offset = 0;

  /**
   * @param shown what the caller has been shown (live: `emit` appends to it)
   * @param emit shows one event to the caller
   */
  constructor(
    private readonly shown: readonly StreamEvent[],
    private readonly emit: (event: StreamEvent) => void,
  ) {}

  /** A new attempt begins: its events start again from the beginning of the answer. */
  restart(): void {
    this.#index = 0;
    this.#offset = 0;
  }

  /** Whether the current attempt has caught up with everything shown (its events now pass straight on). */
  get caughtUp(): boolean {
    return this.#index >= this.shown.length;
  }

  /** The next event of the current attempt: shown if new, dropped if a repeat; throws on divergence. */
  accept(event: StreamEvent): void {
    if (this.caughtUp) {
      this.#pass(event);
      return;
    }
    if (event.type === "text-delta") {
      this.#acceptText(event.delta);
      return;
    }
    const seen = this.shown[this.#index]!;
    if (this.#offset > 0) {
      throw this.#diverged(`a ${event.type} event came where text had been shown`);
    }
    if (!sameEvent(seen, event)) {
      throw this.#diverged(`a ${event.type} event differs from the ${seen.type} event shown`);
    }
    this.#index++;
  }

  #acceptText(delta: string): void {
    let rest = delta;
    while (rest.length > 0 && !this.caughtUp) {
      const seen = this.shown[this.#index]!;
      if (seen.type !== "text-delta") {
        throw this.#diverged(`text came where a ${seen.type} event had been shown`);
      }
      const pending = seen.delta.slice(this.#offset);
      const n = Math.min(pending.length, rest.length);
      if (pending.slice(0, n) !== rest.slice(0, n)) {
        throw this.#diverged("the text differs from the text shown");
      }
      rest = rest.slice(n);
      this.#offset += n;
      if (this.#offset === seen.delta.length) {
        this.#index++;
        this.#offset = 0;
      }
    }
    if (rest.length > 0) this.#pass({ type: "text-delta", delta: rest });
  }

  #pass(event: StreamEvent): void {
    this.emit(event);
    this.#index = this.shown.length;
  }

  #diverged(detail: string): StreamDivergedError {
    return new StreamDivergedError(this.shown.length, `${detail} (at event ${this.#index})`);
  }
}

function sameEvent(a: StreamEvent, b: StreamEvent): boolean {
  if (a.type !== b.type) return false;
  // A start event names the call (id, request id, origin): every attempt has its own.
  if (a.type === "start") return true;
  return canonicalJson(a) === canonicalJson(b);
}
