/**
 * S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP '23),
 * Algorithm 1 of the paper: a small FIFO S (10% of capacity) that new entries enter, a main
 * FIFO M (90%), and a ghost FIFO G of keys recently evicted from S (as many keys as M holds).
 * Each entry has a 2-bit access count, capped at 3; a hit only increments it.
 *
 * - Miss: a key found in G goes to M, any other to S.
 * - Evicting from S: its oldest entry moves to M if it was accessed more than once (count
 *   > 1, the paper's threshold), otherwise it is evicted and its key remembered in G.
 * - Evicting from M: its oldest entry is reinserted at M's head with its count decremented
 *   while the count is above 0 (FIFO-reinsertion, a CLOCK), else evicted.
 * S is evicted from when it holds at least 10% of capacity, otherwise M.
 */
import { FifoRing } from "./fifo-ring.ts";

const SMALL_SHARE = 0.1;
const MAX_FREQ = 3;
/** The paper's Algorithm 1: leave S for M when accessed more than once while in S. */
const MOVE_TO_MAIN_THRESHOLD = 1;

interface Entry<V> {
  value: V;
  freq: number;
}

export class S3Fifo<V> {
  readonly capacity: number;
  readonly #smallCapacity: number;
  readonly #entries = new Map<string, Entry<V>>();
  readonly #small: FifoRing;
  readonly #main: FifoRing;
  /**
   * Ghost: key → the sequence number it was remembered with; the FIFO of (key, sequence)
   * pairs drops the oldest when full, skipping pairs made stale by a ghost hit.
   */
  readonly #ghost = new Map<string, number>();
  readonly #ghostKeys: FifoRing;
  readonly #ghostSeqs: Float64Array;
  readonly #ghostCapacity: number;
  #ghostSeq = 0;

  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw new RangeError(`S3Fifo: capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#smallCapacity = Math.max(1, Math.round(capacity * SMALL_SHARE));
    this.#small = new FifoRing(capacity + 1);
    this.#main = new FifoRing(capacity + 1);
    this.#ghostCapacity = Math.max(1, capacity - this.#smallCapacity);
    // Room for stale pairs too (keys that left the ghost by a hit still sit in the FIFO).
    this.#ghostKeys = new FifoRing(2 * this.#ghostCapacity);
    this.#ghostSeqs = new Float64Array(2 * this.#ghostCapacity);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.freq < MAX_FREQ) entry.freq++;
    return entry.value;
  }

  set(key: string, value: V): void {
    const existing = this.#entries.get(key);
    if (existing !== undefined) {
      existing.value = value;
      return;
    }
    while (this.#entries.size >= this.capacity) this.#evict();
    this.#entries.set(key, { value, freq: 0 });
    if (this.#ghost.delete(key)) this.#main.push(key);
    else this.#small.push(key);
  }

  #evict(): void {
    if (this.#small.size >= this.#smallCapacity || this.#main.size === 0) this.#evictSmall();
    else this.#evictMain();
  }

  #evictSmall(): void {
    while (this.#small.size > 0) {
      const key = this.#small.shift() as string;
      const entry = this.#entries.get(key) as Entry<V>;
      if (entry.freq > MOVE_TO_MAIN_THRESHOLD) {
        entry.freq = 0;
        this.#main.push(key);
        if (this.#main.size > this.capacity - this.#smallCapacity) this.#evictMain();
      } else {
        this.#entries.delete(key);
        this.#remember(key);
        return;
      }
    }
  }

  #evictMain(): void {
    while (this.#main.size > 0) {
      const key = this.#main.shift() as string;
      const entry = this.#entries.get(key) as Entry<V>;
      if (entry.freq > 0) {
        entry.freq--;
        this.#main.push(key);
      } else {
        this.#entries.delete(key);
        return;
      }
    }
  }

  #remember(key: string): void {
    const ring = this.#ghostKeys;
    while (ring.size === ring.capacity || this.#ghost.size >= this.#ghostCapacity) {
      const oldestSeq = this.#ghostSeqs[(this.#ghostSeq - ring.size) % ring.capacity] as number;
      const oldest = ring.shift() as string;
      if (this.#ghost.get(oldest) === oldestSeq) this.#ghost.delete(oldest);
    }
    this.#ghostSeqs[this.#ghostSeq % ring.capacity] = this.#ghostSeq;
    ring.push(key);
    this.#ghost.set(key, this.#ghostSeq++);
  }
}
