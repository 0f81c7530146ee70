import { describe, expect, it } from "vitest";
import { sliceRatio } from "../lib/slice-ratio.ts";

describe("sliceRatio", () => {
  it("takes the median of per-slice ratios, not the ratio of totals", () => {
    // One slice where the machine was busy for `ours` only: totals say 1.6×, slices say 1.1×.
    const ours = [110, 110, 110, 110, 1100];
    const base = [100, 100, 100, 100, 100];
    const r = sliceRatio(ours, base);
    expect(r.median).toBeCloseTo(1.1);
    expect(r.max).toBeCloseTo(11);
    expect(r.slices).toBe(5);
  });

  it("interpolates the quartiles and reports the extremes", () => {
    const r = sliceRatio([1, 2, 3, 4], [1, 1, 1, 1]);
    expect(r).toEqual({ median: 2.5, p25: 1.75, p75: 3.25, min: 1, max: 4, slices: 4 });
  });

  it("skips slices where either side completed nothing", () => {
    const r = sliceRatio([2, Number.NaN, 4], [1, 1, Number.NaN]);
    expect(r.slices).toBe(1);
    expect(r.median).toBe(2);
  });

  it("is NaN, not zero, when no slice can be compared", () => {
    expect(Number.isNaN(sliceRatio([], []).median)).toBe(true);
  });
});
