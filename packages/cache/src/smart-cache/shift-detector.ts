/**
 * Notices a hot-set shift from the shadow LRU's evidence. Each epoch reports its *margin*:
 * (recency wins − frequency wins) ÷ lookups, i.e. how many points of hit rate a plain LRU of
 * our capacity gained on us over the epoch. One epoch with a clear margin happens on
 * recency-heavy stretches of ordinary traces (multi2, sprite); a hot-set shift shows as a
 * margin that *persists*, so a shift is declared after SHIFT_STREAK consecutive epochs at
 * or above SHIFT_MARGIN, and the streak then starts again (a long shift may fire again).
 *
 * Chosen on the tuning set (LIRS + llm-1…4): margin 0.03 over 2 epochs. One epoch at 0.04
 * fired on multi2 and broke its floor (53.5 < 55); 3 epochs at 0.02 reacted too late (worst
 * after-shift row −6.7 against −5.1).
 */
const SHIFT_MARGIN = 0.03;
const SHIFT_STREAK = 2;

export class ShiftDetector {
  #streak = 0;
  #detected = 0;

  /** Shifts declared so far. */
  get detected(): number {
    return this.#detected;
  }

  /** One epoch's margin (LRU's hit rate minus ours, as a fraction); true when a shift is declared. */
  epoch(margin: number): boolean {
    this.#streak = margin >= SHIFT_MARGIN ? this.#streak + 1 : 0;
    if (this.#streak < SHIFT_STREAK) return false;
    this.#streak = 0;
    this.#detected++;
    return true;
  }
}
