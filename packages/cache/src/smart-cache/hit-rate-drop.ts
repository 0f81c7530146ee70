/**
 * Notices a sudden fall of SmartCache's own hit rate, as Caffeine's climber restarts its step
 * when the hit rate moves by more than its restart threshold (5 %). Caffeine judges a
 * sample of 10 × capacity requests; that is far too late for the 2 × capacity requests after
 * a hot-set shift, so lookups are counted in short *blocks* (an eighth of an adaptation
 * epoch, capacity ÷ 32, at least MIN_BLOCK lookups; see DROP_BLOCKS in window-adaptation.ts)
 * against a long-run rate (an average of past blocks).
 *
 * A block is a *drop* when its hit rate is at least DROP below the long-run rate *and*
 * beyond chance: DROP_Z standard deviations of a block's binomial noise. Right after a
 * hot-set shift the hit rate falls from the old hot set's level to what the few surviving
 * keys give — tens of points, many deviations — inside the first block; a slow drift or a
 * noisy block does not qualify. After a drop the long-run rate restarts from the new level,
 * as the climber's does, so one shift is reported once rather than every block.
 *
 * A drop says only that the workload changed, not which way the policy should move: loops
 * and scans drop too, and so do the LIRS traces' phase changes (multi2 @ 500 drops over 30
 * times). SmartCache therefore only *listens harder* after one: for the next
 * `capacity` lookups GhostFeedback lets two net confirmations of recency's lead stand for
 * the usual LED_THRESHOLD (see ALARM_EVIDENCE); the direction still comes from the ghosts.
 * (Adopted from the wip/cache-b experiment; DROP and DROP_Z unchanged, blocks halved.)
 */
const DROP = 0.05;
const DROP_Z = 3;
/** Weight of one block in the long-run rate (an exponential average over ~8 blocks). */
const LONG_RUN_WEIGHT = 1 / 8;
export const MIN_BLOCK = 32;

export class HitRateDropDetector {
  readonly #blockLength: number;
  #left: number;
  #hits = 0;
  /** The long-run hit rate; NaN until the first block ends. */
  #longRun = Number.NaN;
  #detected = 0;

  constructor(blockLength: number) {
    this.#blockLength = Math.max(MIN_BLOCK, Math.round(blockLength));
    this.#left = this.#blockLength;
  }

  /** Lookups per block. */
  get blockLength(): number {
    return this.#blockLength;
  }

  /** Drops seen so far. */
  get detected(): number {
    return this.#detected;
  }

  /** One lookup (`hit`: the cache had the key); true when it ends a block that is a drop. */
  record(hit: boolean): boolean {
    if (hit) this.#hits++;
    if (--this.#left > 0) return false;
    const n = this.#blockLength;
    const rate = this.#hits / n;
    this.#hits = 0;
    this.#left = n;
    const longRun = this.#longRun;
    if (Number.isNaN(longRun)) {
      this.#longRun = rate;
      return false;
    }
    const drop = longRun - rate;
    if (drop >= DROP && drop >= DROP_Z * Math.sqrt((longRun * (1 - longRun)) / n)) {
      this.#longRun = rate;
      this.#detected++;
      return true;
    }
    this.#longRun = longRun + LONG_RUN_WEIGHT * (rate - longRun);
    return false;
  }
}
