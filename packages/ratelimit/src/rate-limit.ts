import { abortableSleep, type RateLimitInfo } from "@llm/core";
import type { DimensionUnits, GcraOperation, Rate } from "./gcra.js";
import { MemoryRateLimitStore } from "./memory-rate-limit-store.js";
import { RateLimitBudgetError } from "./rate-limit-errors.js";
import type { RateLimitStore } from "./rate-limit-store.js";

const MINUTE_MS = 60_000;
const KEY_PATTERN = /^[\w:.@/-]{1,200}$/;

export interface RateLimitOptions {
  /**
   * Names the budget: every `RateLimit` with the same key on the same store
   * shares it (across processes, with the Redis store). Letters, digits and
   * `_ : . @ / -`, at most 200 characters — a name, never a credential (use an
   * HMAC tag of a key to budget per API key).
   */
  key: string;
  /** Shorthand for `requests: { limit, periodMs: 60 000 }`. */
  requestsPerMinute?: number;
  /** Shorthand for `tokens: { limit, periodMs: 60 000 }`. */
  tokensPerMinute?: number;
  requests?: Rate;
  tokens?: Rate;
  /** Where the budget lives. Default: a private in-process store. */
  store?: RateLimitStore;
  /** Longest a call waits for the budget; beyond it, it is refused at once. Default 30 000 ms. */
  maxWaitMs?: number;
  /** Most calls of this process waiting for this budget at once. Default 1 000. */
  maxQueue?: number;
  /**
   * The store failed (Redis down). Default: the call goes ahead unlimited —
   * a rate limit protects the budget, an outage of it must not stop traffic.
   * Throw from here to fail closed instead.
   */
  onStoreError?: (error: unknown) => void;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Overrides the budget's `maxWaitMs` for this call. */
  maxWaitMs?: number;
}

/** What one call holds of the budget: settle its tokens when the usage is known. */
export interface RateLimitPermit {
  /** How long the call waited for the budget. */
  readonly waitedMs: number;
  /** Tokens charged so far. */
  readonly tokens: number;
  /** Charges the real token count instead of the estimate (the difference is added or given back). */
  settle(tokens: number): Promise<void>;
}

/**
 * A requests-per-minute and tokens-per-minute budget (GCRA, see `gcra.ts`).
 * `acquire` reserves a place and waits for it, FIFO across every process on
 * the store; the provider's own answers tighten it (`observe`, `penalize`).
 */
export class RateLimit {
  readonly key: string;
  readonly requests?: Rate;
  readonly tokens?: Rate;
  readonly #store: RateLimitStore;
  readonly #maxWaitMs: number;
  readonly #maxQueue: number;
  readonly #onStoreError: (error: unknown) => void;
  #waiting = 0;

  constructor(options: RateLimitOptions) {
    if (!KEY_PATTERN.test(options.key)) {
      throw new TypeError(
        `RateLimit: key must be 1–200 characters of letters, digits and _ : . @ / - (got ${JSON.stringify(options.key.slice(0, 40))})`,
      );
    }
    this.key = options.key;
    const requests = options.requests ?? perMinute(options.requestsPerMinute);
    const tokens = options.tokens ?? perMinute(options.tokensPerMinute);
    if (requests) this.requests = checkRate("requests", requests);
    if (tokens) this.tokens = checkRate("tokens", tokens);
    this.#store = options.store ?? new MemoryRateLimitStore();
    this.#maxWaitMs = checkNonNegative("maxWaitMs", options.maxWaitMs ?? 30_000);
    this.#maxQueue = checkNonNegative("maxQueue", options.maxQueue ?? 1_000);
    this.#onStoreError = options.onStoreError ?? (() => {});
  }

  /** Calls of this process waiting for their place in this budget right now. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Takes one request and `tokens` from the budget, waiting up to `maxWaitMs`
   * for them. Throws `RateLimitBudgetError` when the wait would be longer, when
   * `maxQueue` calls already wait, or when `tokens` exceed what the budget holds
   * in a whole period; `AbortError` when the signal aborts while it waits (the
   * reservation is then given back).
   */
  async acquire(tokens = 0, options: AcquireOptions = {}): Promise<RateLimitPermit> {
    if (this.tokens && tokens > this.tokens.limit) {
      throw new RateLimitBudgetError(
        this.key,
        "exceeds-capacity",
        undefined,
        `a call of ${tokens} tokens exceeds the ${this.tokens.limit} tokens the budget holds per ${this.tokens.periodMs} ms`,
      );
    }
    if (this.#waiting >= this.#maxQueue) {
      throw new RateLimitBudgetError(
        this.key,
        "queue-full",
        undefined,
        `${this.#waiting} calls already wait (maxQueue)`,
      );
    }
    options.signal?.throwIfAborted();
    const maxWaitMs = options.maxWaitMs ?? this.#maxWaitMs;
    const outcome = await this.#apply({ kind: "take", maxWaitMs, dims: this.#dims(1, tokens) });
    if (outcome === undefined) return this.#permit(0, tokens);
    if (!outcome.granted) {
      throw new RateLimitBudgetError(
        this.key,
        "wait",
        outcome.waitMs,
        `the budget is spent for the next ${Math.ceil(outcome.waitMs)} ms (longer than maxWaitMs ${maxWaitMs})`,
      );
    }
    // A grant never asks for more than maxWaitMs (both stores compute it so); a shared store's
    // reply is still bounded here before it becomes a timer, so no reply can park a call longer.
    const waitMs = Math.min(outcome.waitMs, maxWaitMs);
    if (waitMs > 0) {
      this.#waiting++;
      try {
        await abortableSleep(waitMs, options.signal);
      } catch (error) {
        // The place in the queue goes back to the others.
        await this.#apply({ kind: "adjust", dims: this.#dims(-1, -tokens) });
        throw error;
      } finally {
        this.#waiting--;
      }
    }
    return this.#permit(waitMs, tokens);
  }

  /** Tightens the budget to what the provider says is left (never loosens it). */
  async observe(info: RateLimitInfo): Promise<void> {
    const dims = (remaining: number | undefined, rate: Rate | undefined): DimensionUnits =>
      remaining === undefined || rate === undefined ? { units: 0 } : { rate, units: remaining };
    if (info.requests?.remaining === undefined && info.tokens?.remaining === undefined) return;
    await this.#apply({
      kind: "floor",
      afterMs: 0,
      dims: [
        dims(info.requests?.remaining, this.requests),
        dims(info.tokens?.remaining, this.tokens),
      ],
    });
  }

  /** The provider answered 429 with `retry-after`: nobody on this budget calls before then. */
  async penalize(retryAfterMs: number): Promise<void> {
    if (!(retryAfterMs > 0)) return;
    await this.#apply({ kind: "floor", afterMs: retryAfterMs, dims: this.#dims(1, 1) });
  }

  #permit(waitedMs: number, charged: number): RateLimitPermit {
    let tokens = charged;
    return {
      waitedMs,
      get tokens() {
        return tokens;
      },
      settle: async (actual: number) => {
        const delta = Math.max(0, actual) - tokens;
        tokens += delta;
        if (delta !== 0 && this.tokens)
          await this.#apply({ kind: "adjust", dims: this.#dims(0, delta) });
      },
    };
  }

  #dims(requests: number, tokens: number): DimensionUnits[] {
    return [
      this.requests ? { rate: this.requests, units: requests } : { units: 0 },
      this.tokens ? { rate: this.tokens, units: tokens } : { units: 0 },
    ];
  }

  /** Runs one store operation; `undefined` when the store failed and `onStoreError` let it pass. */
  async #apply(operation: GcraOperation) {
    try {
      return await this.#store.apply(this.key, operation);
    } catch (error) {
      this.#onStoreError(error);
      return undefined;
    }
  }
}

function perMinute(limit: number | undefined): Rate | undefined {
  return limit === undefined ? undefined : { limit, periodMs: MINUTE_MS };
}

function checkRate(name: string, rate: Rate): Rate {
  if (
    !(rate.limit > 0) ||
    !Number.isFinite(rate.limit) ||
    !(rate.periodMs > 0) ||
    !Number.isFinite(rate.periodMs)
  ) {
    throw new RangeError(
      `RateLimit: ${name} needs a positive limit and periodMs (got ${rate.limit} per ${rate.periodMs} ms)`,
    );
  }
  return { limit: rate.limit, periodMs: rate.periodMs };
}

function checkNonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`RateLimit: ${name} must be a finite number ≥ 0 (got ${value})`);
  }
  return value;
}
