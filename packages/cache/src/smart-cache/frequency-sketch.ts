/**
 * A 4-bit count-min sketch: the popularity memory behind TinyLFU admission (after Caffeine's
 * `FrequencySketch`). Counters are packed eight to a 32-bit word; the table is split into
 * 64-byte blocks of 16 words and all four counters of a key live in one block, so an
 * increment touches one cache line. Four counters per key, each in its own quarter of the
 * block, estimate the frequency as their minimum.
 *
 * Aging: after `sampleSize` (10 × capacity) increments every counter is halved, so the
 * sketch forgets old popularity and the estimate follows the workload.
 */
const WORDS_PER_BLOCK = 16;
const MAX_COUNTER = 15;
const MAX_CAPACITY = 1 << 24;

export class FrequencySketch {
  #table: Uint32Array = new Uint32Array(WORDS_PER_BLOCK);
  #blockMask = 0;
  #capacity = 0;
  #sampleSize = 10;
  #size = 0;
  #resets = 0;

  constructor(capacity: number) {
    this.ensureCapacity(capacity);
  }

  /** Entries the table is sized for. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Increments until the next halving. */
  get sampleSize(): number {
    return this.#sampleSize;
  }

  /** How many times the counters have been halved. */
  get resets(): number {
    return this.#resets;
  }

  /** Grows the table for `capacity` entries; counts are dropped when it grows (as Caffeine does). */
  ensureCapacity(capacity: number): void {
    const wanted = Math.min(Math.max(1, Math.floor(capacity)), MAX_CAPACITY);
    if (wanted <= this.#capacity) return;
    // Two words (16 counters) per entry, like Caffeine's one long per entry.
    const words = Math.max(WORDS_PER_BLOCK, ceilingPowerOfTwo(wanted) * 2);
    this.#table = new Uint32Array(words);
    this.#blockMask = words / WORDS_PER_BLOCK - 1;
    this.#capacity = wanted;
    this.#sampleSize = 10 * wanted;
    this.#size = 0;
  }

  /** The estimated number of occurrences of the key (0–15), from its hash. */
  frequency(hash: number): number {
    const table = this.#table;
    const block = ((hash >>> 0) & this.#blockMask) * WORDS_PER_BLOCK;
    const counterHash = rehash(hash);
    let min = MAX_COUNTER;
    for (let i = 0; i < 4; i++) {
      const h = counterHash >>> (i << 3);
      const word = block + (i << 2) + (h & 3);
      const shift = ((h >>> 2) & 7) << 2;
      const count = ((table[word] as number) >>> shift) & 0xf;
      if (count < min) min = count;
    }
    return min;
  }

  /** Records one occurrence; halves every counter once `sampleSize` increments are recorded. */
  increment(hash: number): void {
    const table = this.#table;
    const block = ((hash >>> 0) & this.#blockMask) * WORDS_PER_BLOCK;
    const counterHash = rehash(hash);
    let added = false;
    for (let i = 0; i < 4; i++) {
      const h = counterHash >>> (i << 3);
      const word = block + (i << 2) + (h & 3);
      const shift = ((h >>> 2) & 7) << 2;
      const value = table[word] as number;
      if (((value >>> shift) & 0xf) < MAX_COUNTER) {
        table[word] = value + (1 << shift);
        added = true;
      }
    }
    if (added && ++this.#size >= this.#sampleSize) this.#reset();
  }

  /** Halves every counter now, ahead of the sampling schedule (a detected workload shift). */
  age(): void {
    this.#reset();
  }

  /** Halves every counter; the size shrinks by the odd counts lost to truncation, as in Caffeine. */
  #reset(): void {
    const table = this.#table;
    let odd = 0;
    for (let i = 0; i < table.length; i++) {
      const value = table[i] as number;
      odd += popcount(value & 0x11111111);
      table[i] = (value >>> 1) & 0x77777777;
    }
    this.#size = (this.#size - (odd >>> 2)) >>> 1;
    this.#resets++;
  }

  /** Forgets everything. */
  clear(): void {
    this.#table.fill(0);
    this.#size = 0;
  }
}

function rehash(hash: number): number {
  let h = Math.imul(hash, 0x31848bab);
  h ^= h >>> 14;
  return h >>> 0;
}

function ceilingPowerOfTwo(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

function popcount(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
