import { settleWithin } from "@llm/core";
import { Ewma } from "../stats/ewma.js";

export type GuardState = "closed" | "open" | "half-open";

export interface StoreGuardOptions {
  /** Longest an L2 call may take before it counts as failed. Default 250 ms. */
  timeoutMs?: number;
  /** Consecutive failures that open the circuit. Default 3. */
  failureThreshold?: number;
  /** First pause after the circuit opens; doubles on each failed probe. Default 1 000 ms. */
  backoffMs?: number;
  /**
   * Cap of the doubling pause. Default 5 000 ms: a store that comes back is
   * used again within seconds, and one probe per 5 s costs a dead store nothing.
   */
  maxBackoffMs?: number;
  now?: () => number;
}

export type GuardOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; reason: "open" | "error" | "timeout"; error?: unknown };

/** Counters of one guarded store. */
export interface GuardCounters {
  calls: number;
  errors: number;
  timeouts: number;
  /** Calls not attempted because the circuit was open. */
  skipped: number;
  /** Times the circuit opened. */
  trips: number;
  /** EWMA of successful call latency, ms (0 before the first). */
  latencyMs: number;
  state: GuardState;
}

/**
 * Runs L2 calls with a deadline and a circuit: after `failureThreshold`
 * consecutive failures the store is not called at all for `backoffMs`, then
 * ONE probe call is let through; success closes the circuit, failure doubles
 * the pause. A dead Redis therefore costs nothing per request, and the cache
 * finds it again by itself when it returns.
 */
export class StoreGuard {
  readonly #timeoutMs: number;
  readonly #threshold: number;
  readonly #baseBackoff: number;
  readonly #maxBackoff: number;
  readonly #now: () => number;
  #state: GuardState = "closed";
  #failures = 0;
  #backoff: number;
  #openUntil = 0;
  readonly #latency = new Ewma();
  readonly counters = { calls: 0, errors: 0, timeouts: 0, skipped: 0, trips: 0 };
  /** Called when the circuit closes again after having opened. */
  onRecover: (() => void) | undefined;

  constructor(options: StoreGuardOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 250;
    this.#threshold = options.failureThreshold ?? 3;
    this.#baseBackoff = options.backoffMs ?? 1_000;
    this.#maxBackoff = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    this.#now = options.now ?? Date.now;
    this.#backoff = this.#baseBackoff;
  }

  get state(): GuardState {
    return this.#state;
  }

  snapshot(): GuardCounters {
    return { ...this.counters, latencyMs: this.#latency.value ?? 0, state: this.#state };
  }

  async run<T>(call: () => Promise<T>): Promise<GuardOutcome<T>> {
    if (!this.#admit()) {
      this.counters.skipped++;
      return { ok: false, reason: "open" };
    }
    this.counters.calls++;
    const started = this.#now();
    try {
      const value = await settleWithin(call(), {
        timeoutMs: this.#timeoutMs,
        onTimeout: (): never => {
          throw TIMED_OUT;
        },
        // A slow L2 call must not keep a process that is otherwise done alive.
        unref: true,
      });
      this.#latency.add(this.#now() - started);
      this.#succeeded();
      return { ok: true, value };
    } catch (error) {
      const timedOut = error === TIMED_OUT;
      if (timedOut) this.counters.timeouts++;
      else this.counters.errors++;
      this.#failed();
      return timedOut ? { ok: false, reason: "timeout" } : { ok: false, reason: "error", error };
    }
  }

  #admit(): boolean {
    if (this.#state === "closed") return true;
    if (this.#state === "half-open") return false; // one probe at a time
    if (this.#now() < this.#openUntil) return false;
    this.#state = "half-open";
    return true;
  }

  #succeeded(): void {
    const recovered = this.#state !== "closed";
    this.#failures = 0;
    this.#state = "closed";
    this.#backoff = this.#baseBackoff;
    if (recovered) this.onRecover?.();
  }

  #failed(): void {
    if (this.#state === "half-open") {
      this.#backoff = Math.min(this.#backoff * 2, this.#maxBackoff);
      this.#open();
      return;
    }
    this.#failures++;
    if (this.#state === "closed" && this.#failures >= this.#threshold) this.#open();
  }

  #open(): void {
    this.#state = "open";
    this.#openUntil = this.#now() + this.#backoff;
    this.counters.trips++;
  }
}

const TIMED_OUT = Symbol("timed out");
const DEFAULT_MAX_BACKOFF_MS = 5_000;
