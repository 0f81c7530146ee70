import { describe, expect, it } from "vitest";
import { ShiftDetector } from "./shift-detector.js";

/** An epoch of 1,000 lookups with these wins: margin = (recency − frequency) / 1,000. */
function epoch(detector: ShiftDetector, recencyWins: number, frequencyWins: number): boolean {
  return detector.epoch((recencyWins - frequencyWins) / 1000, recencyWins, frequencyWins);
}

describe("ShiftDetector", () => {
  it("declares a shift when LRU's margin persists for two epochs, then starts a new streak", () => {
    const detector = new ShiftDetector();
    const fired = [
      [60, 5],
      [70, 8],
      [60, 5],
      [55, 4],
    ].map(([recency, frequency]) => epoch(detector, recency as number, frequency as number));
    expect(fired).toEqual([false, true, false, true]);
    expect(detector.detected).toBe(2);
  });

  it("ignores one recency-heavy epoch, small margins and frequency's epochs", () => {
    const detector = new ShiftDetector();
    const wins = [
      [300, 0],
      [10, 10],
      [200, 0],
      [0, 100],
      [25, 5],
      [25, 5],
      [0, 50],
      [100, 0],
    ];
    expect(wins.some(([r, f]) => epoch(detector, r as number, f as number))).toBe(false);
    expect(detector.detected).toBe(0);
  });

  it("ignores a margin that chance explains (a short epoch with few wins)", () => {
    const detector = new ShiftDetector();
    // 125 lookups, 6 recency wins against 2: a 3.2-point margin, but 4 < 2·√8.
    for (let i = 0; i < 5; i++) expect(detector.epoch(4 / 125, 6, 2)).toBe(false);
    // 10 wins against none is not chance: two such epochs fire.
    expect(detector.epoch(10 / 125, 10, 0)).toBe(false);
    expect(detector.epoch(10 / 125, 10, 0)).toBe(true);
  });
});
