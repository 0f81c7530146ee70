/**
 * SIEVE (Zhang et al., "SIEVE is Simpler than LRU", NSDI '24), as in the paper's Figure 2:
 * one FIFO queue, a visited bit per entry and a hand. A hit only sets the bit. To evict, the
 * hand walks from where it stopped toward the newer end (starting at the oldest entry),
 * clearing set bits, and evicts the first entry whose bit is clear; it then rests on that
 * entry's newer neighbour. New entries go to the head (newest end) and do not move.
 *
 * Nodes live in typed arrays indexed by slot; the Map only finds a key's slot.
 */
const NONE = -1;

export class Sieve<V> {
  readonly capacity: number;
  readonly #slotOf = new Map<string, number>();
  readonly #keys: string[];
  readonly #values: Array<V | undefined>;
  readonly #visited: Uint8Array;
  /** Toward the head (newer) and toward the tail (older). */
  readonly #newer: Int32Array;
  readonly #older: Int32Array;
  #head = NONE; // newest
  #tail = NONE; // oldest
  #hand = NONE;
  #free: number[] = [];

  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw new RangeError(`Sieve: capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#keys = new Array<string>(capacity).fill("");
    this.#values = new Array<V | undefined>(capacity).fill(undefined);
    this.#visited = new Uint8Array(capacity);
    this.#newer = new Int32Array(capacity).fill(NONE);
    this.#older = new Int32Array(capacity).fill(NONE);
    for (let i = capacity - 1; i >= 0; i--) this.#free.push(i);
  }

  get size(): number {
    return this.#slotOf.size;
  }

  get(key: string): V | undefined {
    const slot = this.#slotOf.get(key);
    if (slot === undefined) return undefined;
    this.#visited[slot] = 1;
    return this.#values[slot];
  }

  set(key: string, value: V): void {
    const existing = this.#slotOf.get(key);
    if (existing !== undefined) {
      this.#values[existing] = value;
      this.#visited[existing] = 1;
      return;
    }
    if (this.#free.length === 0) this.#evict();
    const slot = this.#free.pop() as number;
    this.#keys[slot] = key;
    this.#values[slot] = value;
    this.#visited[slot] = 0;
    this.#older[slot] = this.#head;
    this.#newer[slot] = NONE;
    if (this.#head !== NONE) this.#newer[this.#head] = slot;
    this.#head = slot;
    if (this.#tail === NONE) this.#tail = slot;
    this.#slotOf.set(key, slot);
  }

  #evict(): void {
    let hand = this.#hand === NONE ? this.#tail : this.#hand;
    while (this.#visited[hand] === 1) {
      this.#visited[hand] = 0;
      hand = this.#newer[hand] as number;
      if (hand === NONE) hand = this.#tail;
    }
    this.#hand = this.#newer[hand] as number;
    this.#unlink(hand);
    this.#slotOf.delete(this.#keys[hand] as string);
    this.#values[hand] = undefined;
    this.#free.push(hand);
  }

  #unlink(slot: number): void {
    const newer = this.#newer[slot] as number;
    const older = this.#older[slot] as number;
    if (newer === NONE) this.#head = older;
    else this.#older[newer] = older;
    if (older === NONE) this.#tail = newer;
    else this.#newer[older] = newer;
  }
}
