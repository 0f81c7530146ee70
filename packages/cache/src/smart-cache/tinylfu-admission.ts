import { FrequencySketch } from "./frequency-sketch.js";

/**
 * TinyLFU's admission contest (Einziger, Friedman & Manes, "TinyLFU: A Highly Efficient
 * Cache Admission Policy", 2017): the window's victim (the candidate) enters the main region
 * only if its estimated frequency beats that of main's victim. Ties go to the incumbent, so
 * one-hit wonders and scans cannot flush the hot set.
 *
 * Like Caffeine, a warm candidate (estimate ≥ JITTER_THRESHOLD) that lost is still admitted
 * 1 time in 128 at random: an attacker who can make one key look frequent cannot pin a
 * victim in place forever (hash flooding), and a hot set that moved gets a foothold.
 */
const JITTER_THRESHOLD = 6;

export class TinyLfuAdmission {
  readonly sketch: FrequencySketch;
  #random = 0x2545f491;

  constructor(capacity: number) {
    this.sketch = new FrequencySketch(capacity);
  }

  /** Records one access to the key with this hash. */
  record(hash: number): void {
    this.sketch.increment(hash);
  }

  /** True when the candidate should replace the victim. */
  admits(candidateHash: number, victimHash: number): boolean {
    const candidate = this.sketch.frequency(candidateHash);
    const victim = this.sketch.frequency(victimHash);
    return candidate > victim || this.#jitter(candidate);
  }

  #jitter(candidateFrequency: number): boolean {
    if (candidateFrequency < JITTER_THRESHOLD) return false;
    // xorshift32: deterministic across runs, cheap, good enough to pick 1 in 128.
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    return (x & 127) === 0;
  }
}
