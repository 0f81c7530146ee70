/**
 * Caffeine's simple hill climber for the admission window. After each sample (10 × capacity
 * requests) it compares the sample's hit rate with the previous one: if the last move helped
 * it keeps going the same way, otherwise it turns around. The step decays geometrically so
 * the window settles, and restarts at full size when the hit rate jumps (a workload change).
 *
 * Units are fractions of the cache's capacity, so one climber drives both the entry and the
 * byte bounds.
 */
export interface HillClimberOptions {
  /** The first step, as a fraction of capacity. */
  stepFraction?: number;
  /** A hit-rate change at least this large restarts the step at full size. */
  restartThreshold?: number;
  /** Each sample without a restart multiplies the step by this. */
  decayRate?: number;
}

export class HillClimber {
  readonly #stepFraction: number;
  readonly #restartThreshold: number;
  readonly #decayRate: number;
  #previousHitRate = 0;
  #step: number;

  constructor(options: HillClimberOptions = {}) {
    this.#stepFraction = options.stepFraction ?? 0.0625;
    this.#restartThreshold = options.restartThreshold ?? 0.05;
    this.#decayRate = options.decayRate ?? 0.98;
    // Caffeine starts by shrinking the window: most workloads favour frequency.
    this.#step = -this.#stepFraction;
  }

  /** Given one sample's hits and misses, the change to apply to the window fraction (positive grows it). */
  adjust(hits: number, misses: number): number {
    const requests = hits + misses;
    if (requests === 0) return 0;
    const hitRate = hits / requests;
    const change = hitRate - this.#previousHitRate;
    const amount = change >= 0 ? this.#step : -this.#step;
    this.#step =
      Math.abs(change) >= this.#restartThreshold
        ? this.#stepFraction * (amount >= 0 ? 1 : -1)
        : this.#decayRate * amount;
    this.#previousHitRate = hitRate;
    return amount;
  }
}
