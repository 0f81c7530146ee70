/**
 * What the shadow LRU has seen since the last drop alarm began (see HitRateDropDetector):
 * its *recency wins* (we missed where LRU would have hit) and *frequency wins* (we hit where
 * LRU would have missed). GhostFeedback reads the verdict to decide how far to trust its
 * ghosts during an alarm.
 */
export interface AlarmVerdict {
  /** LRU's wins since the alarm are at least even with ours. */
  readonly recencyAhead: boolean;
  /**
   * LRU's wins lead beyond chance: a sign test, recency − frequency ≥ CLEAR_Z × √(recency +
   * frequency). After a hot-set shift LRU keeps every new key from its first reference and
   * its wins pile up far beyond chance; the phase changes of ordinary traces (multi2, sprite)
   * give a few wins either way.
   */
  readonly recencyClearlyAhead: boolean;
}

/** No alarm, or no evidence: neither side is ahead. */
export const NO_VERDICT: AlarmVerdict = { recencyAhead: false, recencyClearlyAhead: false };

/**
 * Standard deviations of the sign test for `recencyClearlyAhead`. Tuning set (lead hold in
 * GhostFeedback, blocks of capacity ÷ 32): z 1 / 2 / 3 gave the worst after-shift row −0.60
 * / −0.60 / −0.70 points vs LRU, mean −0.20 / −0.24 / −0.24, multi2@500 47.71 / 48.07 /
 * 48.41; without the test (wins merely even) multi2@1000 fell to 54.13, below its floor of 55.
 */
export const CLEAR_Z = 2;

export class AlarmWins implements AlarmVerdict {
  #recency = 0;
  #frequency = 0;

  /** A new alarm: count from zero. */
  reset(): void {
    this.#recency = 0;
    this.#frequency = 0;
  }

  recencyWin(): void {
    this.#recency++;
  }

  frequencyWin(): void {
    this.#frequency++;
  }

  get recencyAhead(): boolean {
    return this.#recency >= this.#frequency;
  }

  get recencyClearlyAhead(): boolean {
    const lead = this.#recency - this.#frequency;
    return lead > 0 && lead * lead >= CLEAR_Z * CLEAR_Z * (this.#recency + this.#frequency);
  }
}
