import { applyGcra, type GcraOperation, type GcraOutcome } from "./gcra.js";
import type { RateLimitStore } from "./rate-limit-store.js";

export interface MemoryRateLimitStoreOptions {
  /**
   * Most budgets kept. Beyond it the least recently used one is dropped (its
   * debt forgotten: usually it is idle and owes nothing), so keep this above
   * the number of keys in use. Default 10 000.
   */
  maxKeys?: number;
  /** Clock in ms; tests pass a fake one. Default `Date.now`. */
  now?: () => number;
}

/** Budgets for one process: the same GCRA as the Redis store, in a bounded Map. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #budgets = new Map<string, number[]>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    this.#maxKeys = options.maxKeys ?? 10_000;
    if (!Number.isInteger(this.#maxKeys) || this.#maxKeys < 1) {
      throw new RangeError(
        `MemoryRateLimitStore: maxKeys must be a positive integer, got ${options.maxKeys}`,
      );
    }
    this.#now = options.now ?? Date.now;
  }

  /** Budgets currently held (for tests and stats). */
  get size(): number {
    return this.#budgets.size;
  }

  async apply(key: string, operation: GcraOperation): Promise<GcraOutcome> {
    const now = this.#now();
    let tats = this.#budgets.get(key);
    if (tats === undefined) tats = [0, 0];
    else this.#budgets.delete(key); // re-inserted below: Map order is recency order
    const outcome = applyGcra(tats, operation, now);
    this.#budgets.set(key, tats);
    if (this.#budgets.size > this.#maxKeys) {
      this.#budgets.delete(this.#budgets.keys().next().value as string);
    }
    return { granted: outcome.granted, waitMs: Math.max(0, outcome.waitMs) };
  }
}
