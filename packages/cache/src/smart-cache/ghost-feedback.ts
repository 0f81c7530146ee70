import { type AlarmVerdict, NO_VERDICT } from "./alarm-wins.js";
import { ShadowLru } from "./shadow-lru.js";

/**
 * Per-event evidence of a hot-set shift, from two bounded *ghost* lists of key hashes (after
 * ARC's B1 and B2, Megiddo & Modha, FAST '03): keys the admission contest *rejected* (or
 * that left the window without one), and keys *evicted* from main. Hashes only, no keys or
 * values; each ghost holds as many hashes as the shadow LRU samples (every key up to 16,384
 * entries), at ~24 bytes a hash, and is touched only on misses, rejections and evictions —
 * never on a hit.
 *
 * - A miss on a rejected key that LRU would have hit (the shadow held it: it came back
 *   within `capacity` distinct keys) says frequency turned away a key recency would have
 *   kept: the *pressure* rises by one.
 * - A miss on a key evicted from main says main was too small for it: the pressure falls.
 * While the pressure is at least LED_THRESHOLD, recency *leads*: the cache lets LRU's opinion
 * decide a lost admission contest (see `ShadowLruAdaptation.prefers`), evicts protected's
 * LRU-dropped tail before probation's (SmartCache's victim rule), and grows the window per
 * event (GROW_GAIN). The threshold (in sampled events) was chosen on the tuning set: 4 and
 * 16 broke multi2@1000's floor of 55; 24 and 32 kept it (55.24), 24 recovered faster.
 *
 * Requiring LRU's hit matters: on a loop longer than the cache, rejected keys do come back
 * (ARC's rule would open the window and lose the loop — loop@500 fell from 49 to 20 on the
 * tuning set), but LRU never holds them, so the pressure stays at zero.
 */
export const LED_THRESHOLD = 24;
/**
 * While recency leads, each confirmed rejected-ghost hit also grows the window at once, by
 * ARC's step × GROW_GAIN entries, without waiting for the epoch's end. Only growth: ARC's
 * shrink on an evicted-ghost hit cost sprite@1000 0.4–0.7 points (below LRU − 0.5) on the
 * tuning set, so shrinking stays with the epoch rule. (Tuning set, gain 1 / 2 / 4 / 8:
 * worst after-shift row −2.60 / −2.35 / −2.45 / −2.45 points vs LRU, mean gap closed
 * 0.578 / 0.577 / 0.574 / 0.569.)
 */
export const GROW_GAIN = 2;
/**
 * After a significant fall of the hit rate (HitRateDropDetector: the *alarm*, which lasts
 * `capacity` lookups), this much *net* evidence — rejected keys coming back within LRU's
 * reach, minus evicted keys coming back — lets recency lead at once instead of after
 * LED_THRESHOLD confirmations; when the shadow LRU's wins since the alarm are at least even
 * (`AlarmVerdict.recencyAhead`), the pressure is also charged to LED_THRESHOLD, so the lead outlasts the
 * alarm until evicted keys wear it down. A hot-set shift gave 40 net confirmations over its
 * alarm (llm-1 @ 1000); the 16 noise drops of the same run gave −24 to +5, mostly below 0
 * (evicted keys coming back: frequency was right), so they rarely lead.
 *
 * Tuning set (LIRS + llm-1…4), after-shift rows vs LRU, worst / mean: without the alarm
 * −2.35 / −1.04; ALARM_EVIDENCE 1 / 2 / 3: −1.15 / −0.52, −1.10 / −0.50, −1.15 / −0.56
 * (multi2@1000 55.03 / 55.22 / 55.17, floor 55); 4 and 6 broke multi2@1000's floor (54.88,
 * 53.35) — the floor, not the shifts, bounds it. Counting confirmations without subtracting
 * evicted-ghost hits broke it at 2–12; an alarm-only lead (no charge) broke it at 2–8.
 */
export const ALARM_EVIDENCE = 2;
/*
 * **Lead hold.** During an alarm whose shadow-LRU wins lead beyond chance
 * (`AlarmVerdict.recencyClearlyAhead`), evicted keys coming back do not wear a lead down. After
 * a shift that only reshuffles popularity, old keys evicted from main come back too (at their
 * new, random ranks): on llm-4 @ 16,384 they pulled the pressure back under LED_THRESHOLD
 * again and again in the first quarter-capacity after the shift, and each time LRU's word in
 * contests was lost. The shadow LRU winning beyond chance says what those returns do not: a
 * plain LRU is beating us now. (Tuning set, with blocks of capacity ÷ 32: llm-4 @ 16,384's
 * after-shift row −0.99 → −0.34 points vs LRU, mean after-shift −0.33 → −0.24; holding on
 * wins merely even broke multi2@1000's floor, 54.13.)
 */

export class GhostFeedback {
  readonly #rejected: ShadowLru;
  readonly #evicted: ShadowLru;
  #pressure = 0;
  /** True during an alarm (see ALARM_EVIDENCE), with its net evidence so far. */
  #alarmed = false;
  #alarmEvidence = 0;

  constructor(capacity: number) {
    this.#rejected = new ShadowLru(capacity);
    this.#evicted = new ShadowLru(capacity);
  }

  /** True while the ghosts' evidence says recency is beating frequency (see LED_THRESHOLD). */
  get recencyLeads(): boolean {
    return (
      this.#pressure >= LED_THRESHOLD || (this.#alarmed && this.#alarmEvidence >= ALARM_EVIDENCE)
    );
  }

  /** The hit rate just fell significantly: weigh the evidence from here on (ALARM_EVIDENCE). */
  alarm(): void {
    this.#alarmed = true;
    this.#alarmEvidence = 0;
  }

  /** The alarm's span is over: back to LED_THRESHOLD alone. */
  calm(): void {
    this.#alarmed = false;
  }

  /** A key left the window without entering main. */
  rejected(hash: number): void {
    this.#evicted.delete(hash);
    this.#rejected.touch(hash);
  }

  /** A key was evicted from main. */
  evicted(hash: number): void {
    this.#rejected.delete(hash);
    this.#evicted.touch(hash);
  }

  /**
   * A miss; `lruHit`: an LRU of the cache's capacity would have hit it. Returns how many
   * entries the window should grow by: while recency leads, ARC's step for a B1 hit —
   * max(1, |evicted| ÷ |rejected|) — times GROW_GAIN; otherwise 0. `verdict`: the shadow
   * LRU's wins since the alarm began (AlarmWins); read only during an alarm — `recencyAhead`
   * lets confirmations charge the pressure, `recencyClearlyAhead` holds a lead (see above).
   */
  miss(hash: number, lruHit: boolean, verdict: AlarmVerdict = NO_VERDICT): number {
    const rejected = this.#rejected.size;
    if (this.#rejected.delete(hash)) {
      if (!lruHit) return 0;
      this.#pressure++;
      if (
        this.#alarmed &&
        ++this.#alarmEvidence >= ALARM_EVIDENCE &&
        verdict.recencyAhead &&
        this.#pressure < LED_THRESHOLD
      ) {
        this.#pressure = LED_THRESHOLD;
      }
      if (!this.recencyLeads) return 0;
      return GROW_GAIN * Math.max(1, this.#evicted.size / Math.max(1, rejected));
    }
    if (this.#evicted.delete(hash)) {
      this.#alarmEvidence--;
      // Lead hold: see above.
      if (this.#alarmed && verdict.recencyClearlyAhead && this.#pressure >= LED_THRESHOLD) {
        return 0;
      }
      if (this.#pressure > 0) this.#pressure--;
    }
    return 0;
  }
}
