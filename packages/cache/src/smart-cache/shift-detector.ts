/**
 * Notices a hot-set shift from the shadow LRU's evidence. Each epoch reports its *margin*:
 * (recency wins − frequency wins) ÷ lookups, i.e. how many points of hit rate a plain LRU of
 * our capacity gained on us over the epoch. One epoch with a clear margin happens on
 * recency-heavy stretches of ordinary traces (multi2, sprite); a hot-set shift shows as a
 * margin that *persists*, so a shift is declared after SHIFT_STREAK consecutive epochs at
 * or above SHIFT_MARGIN (and significant, see SIGNIFICANCE); the streak then starts again
 * (a long shift may fire again).
 *
 * Chosen on the tuning set (LIRS + llm-1…4): margin 0.03 over 2 epochs. One epoch at 0.04
 * fired on multi2 and broke its floor (53.5 < 55); 3 epochs at 0.02 reacted too late (worst
 * after-shift row −6.7 against −5.1).
 */
const SHIFT_MARGIN = 0.03;
const SHIFT_STREAK = 2;
/**
 * The wins must also favour LRU beyond chance: a sign test on the epoch's counted wins,
 * (recency − frequency) ≥ 2 √(recency + frequency). On a small cache an epoch is short (64–125
 * lookups) and a 3-point margin is about one standard deviation of noise; two noisy epochs in
 * a row then fired every few thousand lookups on a churning workload. Neutral on the tuning set.
 */
const SIGNIFICANCE = 2;

export class ShiftDetector {
  #streak = 0;
  #detected = 0;

  /** Shifts declared so far. */
  get detected(): number {
    return this.#detected;
  }

  /**
   * One epoch: `recencyWins` and `frequencyWins` as counted (sampled keys only), `margin`
   * LRU's hit rate minus ours over the epoch. True when a shift is declared.
   */
  epoch(margin: number, recencyWins: number, frequencyWins: number): boolean {
    const clear =
      margin >= SHIFT_MARGIN &&
      recencyWins - frequencyWins >= SIGNIFICANCE * Math.sqrt(recencyWins + frequencyWins);
    this.#streak = clear ? this.#streak + 1 : 0;
    if (this.#streak < SHIFT_STREAK) return false;
    this.#streak = 0;
    this.#detected++;
    return true;
  }
}
