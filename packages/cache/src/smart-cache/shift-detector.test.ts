import { describe, expect, it } from "vitest";
import { ShiftDetector } from "./shift-detector.js";

describe("ShiftDetector", () => {
  it("declares a shift when LRU's margin persists for two epochs, then starts a new streak", () => {
    const detector = new ShiftDetector();
    expect([0.05, 0.06, 0.05, 0.05].map((margin) => detector.epoch(margin))).toEqual([
      false,
      true,
      false,
      true,
    ]);
    expect(detector.detected).toBe(2);
  });

  it("ignores one recency-heavy epoch, small margins and frequency's epochs", () => {
    const detector = new ShiftDetector();
    const margins = [0.3, 0, 0.2, -0.1, 0.02, 0.02, 0.02, -0.05, 0.1];
    expect(margins.some((margin) => detector.epoch(margin))).toBe(false);
    expect(detector.detected).toBe(0);
  });
});
