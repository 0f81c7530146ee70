/**
 * Queue-wait percentiles from a fixed ring of the most recent samples. Recording
 * is one typed-array store (the hot path); sorting happens only when stats are read.
 */
export class WaitHistogram {
  readonly #samples: Float64Array;
  #next = 0;
  #count = 0;

  constructor(size = 1024) {
    this.#samples = new Float64Array(size);
  }

  record(ms: number): void {
    this.#samples[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#samples.length;
    if (this.#count < this.#samples.length) this.#count++;
  }

  /** `q` in [0, 1]; 0 when nothing was recorded. Nearest-rank on the recent window. */
  percentile(q: number): number {
    if (this.#count === 0) return 0;
    const sorted = this.#samples.slice(0, this.#count).sort();
    const rank = Math.min(this.#count - 1, Math.max(0, Math.ceil(q * this.#count) - 1));
    return sorted[rank] ?? 0;
  }
}
