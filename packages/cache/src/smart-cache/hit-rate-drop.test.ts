import { describe, expect, it } from "vitest";
import { HitRateDropDetector, MIN_BLOCK } from "./hit-rate-drop.js";

/** Feeds one block of `length` lookups with `hits` hits; returns whether its end was a drop. */
function block(detector: HitRateDropDetector, hits: number): boolean {
  const length = detector.blockLength;
  let fired = false;
  for (let i = 0; i < length; i++) fired = detector.record(i < hits);
  return fired;
}

describe("HitRateDropDetector", () => {
  it("reports a sudden fall of the hit rate once, then follows the new level", () => {
    const detector = new HitRateDropDetector(100);
    const fired = [80, 78, 81, 79, 20, 22, 19, 21].map((hits) => block(detector, hits));
    expect(fired).toEqual([false, false, false, false, true, false, false, false]);
    expect(detector.detected).toBe(1);
  });

  it("ignores a fall smaller than 5 points, however steady", () => {
    const detector = new HitRateDropDetector(10_000);
    const fired = [8000, 8000, 7600, 7600, 7600].map((hits) => block(detector, hits));
    expect(fired.some(Boolean)).toBe(false);
  });

  it("ignores a fall that a short block's noise explains", () => {
    // 40 lookups per block at 50%: one standard deviation is 7.9 points, so a 10-point
    // fall is within chance (3 deviations are needed).
    const detector = new HitRateDropDetector(40);
    const fired = [20, 20, 20, 16].map((hits) => block(detector, hits));
    expect(fired.some(Boolean)).toBe(false);
    expect(block(detector, 2)).toBe(true);
  });

  it("never counts blocks shorter than MIN_BLOCK lookups, and never fires on a rise", () => {
    const detector = new HitRateDropDetector(4);
    expect(detector.blockLength).toBe(MIN_BLOCK);
    expect([0, 10, 20, 30].map((hits) => block(detector, hits)).some(Boolean)).toBe(false);
  });
});
