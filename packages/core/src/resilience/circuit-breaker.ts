import { AbortError, CircuitOpenError } from "../errors/errors.js";
import { isLLMError } from "../errors/llm-error.js";
import type { Middleware } from "../middleware.js";
import type { StreamEvent } from "../stream-event.js";

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** Shown in `CircuitOpenError` messages and state-change callbacks. */
  name: string;
  /** Failures (within `windowMs`, or consecutive without it) that open the circuit. */
  failureThreshold: number;
  /** Count failures in a sliding window of this many ms instead of consecutively. */
  windowMs?: number;
  /** How long the circuit stays open before it lets a probe through. */
  resetTimeoutMs: number;
  /** Concurrent probe calls allowed while half-open. Default 1. */
  halfOpenMaxCalls?: number;
  /**
   * Which errors count against the provider. Default: retryable `LLMError`s
   * (network, timeout, 429, 5xx). A 400 or a bad key says nothing about the
   * provider's health, and an abort is the caller's choice: neither counts.
   */
  isFailure?: (error: unknown) => boolean;
  /** Clock, injectable for tests. */
  now?: () => number;
  onStateChange?: (change: { name: string; from: CircuitState; to: CircuitState }) => void;
}

export interface CircuitStats {
  state: CircuitState;
  /** Failures currently counted towards the threshold. */
  failures: number;
  successes: number;
  /** Calls refused with `CircuitOpenError`. */
  rejected: number;
  /** When the circuit last opened (`now()` ms), if it ever did. */
  openedAt: number | undefined;
}

/** Permission to make one call; report how it went exactly once. */
export interface CircuitPermit {
  success(): void;
  failure(error: unknown): void;
  /** The call ended without a verdict (aborted, or an error that is not the provider's fault). */
  release(): void;
}

/**
 * A per-client circuit breaker: **closed** (calls pass; failures are counted)
 * → **open** after `failureThreshold` failures (calls fail fast with
 * `CircuitOpenError` carrying `retryAfterMs`) → **half-open** once
 * `resetTimeoutMs` has passed (up to `halfOpenMaxCalls` probes pass) →
 * **closed** when a probe succeeds, **open** again when it fails.
 */
export class CircuitBreaker {
  readonly name: string;
  readonly #options: CircuitBreakerOptions;
  readonly #now: () => number;
  readonly #isFailure: (error: unknown) => boolean;
  #state: CircuitState = "closed";
  #failures: number[] = [];
  #openedAt: number | undefined;
  #probes = 0;
  #successes = 0;
  #rejected = 0;

  constructor(options: CircuitBreakerOptions) {
    if (!(options.failureThreshold >= 1)) throw new RangeError("failureThreshold must be >= 1");
    this.name = options.name;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#isFailure = options.isFailure ?? ((error) => isLLMError(error) && error.retryable);
  }

  /** The current state; an open circuit whose reset time has passed reads as half-open. */
  get state(): CircuitState {
    this.#refresh();
    return this.#state;
  }

  stats(): CircuitStats {
    this.#refresh();
    this.#prune();
    return {
      state: this.#state,
      failures: this.#failures.length,
      successes: this.#successes,
      rejected: this.#rejected,
      openedAt: this.#openedAt,
    };
  }

  /** Asks to make a call. Throws `CircuitOpenError` when the circuit refuses it. */
  acquire(): CircuitPermit {
    this.#refresh();
    if (this.#state === "open") throw this.#refuse(this.#remaining());
    const probe = this.#state === "half-open";
    if (probe) {
      if (this.#probes >= (this.#options.halfOpenMaxCalls ?? 1)) throw this.#refuse(0);
      this.#probes++;
    }
    let settled = false;
    const settle = (verdict: "success" | "failure" | "none") => {
      if (settled) return;
      settled = true;
      if (probe) this.#probes--;
      if (verdict === "success") this.#onSuccess(probe);
      else if (verdict === "failure") this.#onFailure(probe);
    };
    return {
      success: () => settle("success"),
      failure: (error) => {
        if (error instanceof AbortError) settle("none");
        // Any answer from the provider — even a 400 — proves it is up.
        else settle(this.#isFailure(error) ? "failure" : "success");
      },
      release: () => settle("none"),
    };
  }

  /** Runs `fn` under the breaker. */
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const permit = this.acquire();
    try {
      const value = await fn();
      permit.success();
      return value;
    } catch (error) {
      permit.failure(error);
      throw error;
    }
  }

  /** Forces the circuit closed and forgets the failures. */
  reset(): void {
    this.#failures = [];
    this.#probes = 0;
    this.#transition("closed");
  }

  #onSuccess(probe: boolean): void {
    this.#successes++;
    if (probe && this.#state === "half-open") {
      this.#failures = [];
      this.#transition("closed");
    } else if (this.#state === "closed" && this.#options.windowMs === undefined) {
      // Without a window the count is of consecutive failures.
      this.#failures = [];
    }
  }

  #onFailure(probe: boolean): void {
    if (probe) {
      this.#open();
      return;
    }
    if (this.#state !== "closed") return;
    this.#failures.push(this.#now());
    this.#prune();
    if (this.#failures.length >= this.#options.failureThreshold) this.#open();
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#failures = [];
    this.#transition("open");
  }

  #refresh(): void {
    if (this.#state === "open" && this.#remaining() <= 0) this.#transition("half-open");
  }

  #remaining(): number {
    return Math.max(0, (this.#openedAt ?? 0) + this.#options.resetTimeoutMs - this.#now());
  }

  #prune(): void {
    const windowMs = this.#options.windowMs;
    if (windowMs === undefined) return;
    const oldest = this.#now() - windowMs;
    let drop = 0;
    while (drop < this.#failures.length && this.#failures[drop]! <= oldest) drop++;
    if (drop > 0) this.#failures.splice(0, drop);
  }

  #refuse(retryAfterMs: number): CircuitOpenError {
    this.#rejected++;
    return new CircuitOpenError(this.name, retryAfterMs);
  }

  #transition(to: CircuitState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#options.onStateChange?.({ name: this.name, from, to });
  }
}

/**
 * Puts a `CircuitBreaker` in front of a client (one breaker per client).
 * A stream counts as a success when it ends, or when the consumer stops after
 * at least one event; as a failure when it throws a failure error.
 */
export function circuitBreakerMiddleware(
  options: CircuitBreakerOptions | CircuitBreaker,
): Middleware & { readonly breaker: CircuitBreaker } {
  const breaker = options instanceof CircuitBreaker ? options : new CircuitBreaker(options);
  return {
    name: `circuit-breaker:${breaker.name}`,
    breaker,
    wrapGenerate({ request, options: callOptions, next }) {
      return breaker.execute(() => next(request, callOptions));
    },
    async *wrapStream({ request, options: callOptions, next }): AsyncGenerator<StreamEvent> {
      const permit = breaker.acquire();
      let events = 0;
      try {
        for await (const event of next(request, callOptions)) {
          events++;
          yield event;
        }
        permit.success();
      } catch (error) {
        permit.failure(error);
        throw error;
      } finally {
        // Reached only when the consumer stopped early (settled permits ignore it).
        if (events > 0) permit.success();
        else permit.release();
      }
    },
  };
}
