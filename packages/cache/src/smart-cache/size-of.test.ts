import { describe, expect, it } from "vitest";
import { defaultSizeOf, ENTRY_OVERHEAD_BYTES, estimateBytes, stringBytes } from "./size-of.js";

describe("size estimates", () => {
  it("counts strings at two bytes per character plus a header", () => {
    expect(stringBytes("abcd")).toBe(24 + 8);
    expect(estimateBytes("abcd")).toBe(32);
  });

  it("adds the key and the per-entry bookkeeping", () => {
    expect(defaultSizeOf("v", "k")).toBe(ENTRY_OVERHEAD_BYTES + 26 + 26);
  });

  it("walks objects and arrays, counting shared and cyclic references once", () => {
    const text = "x".repeat(1000);
    const single = estimateBytes({ text });
    expect(single).toBeGreaterThan(2000);
    const shared = { a: { text }, b: [1, 2, 3] } as Record<string, unknown>;
    shared.self = shared;
    const withCycle = estimateBytes(shared);
    expect(withCycle).toBeGreaterThan(single);
    expect(withCycle).toBeLessThan(2 * single);
  });

  it("sizes primitives, dates, binary data, maps and sets", () => {
    expect(estimateBytes(1.5)).toBe(16);
    expect(estimateBytes(10n)).toBeGreaterThan(16);
    expect(estimateBytes(true)).toBe(0);
    expect(estimateBytes(null)).toBe(0);
    expect(estimateBytes(undefined)).toBe(0);
    expect(estimateBytes(new Date())).toBe(96);
    expect(estimateBytes(new Uint8Array(1000))).toBeGreaterThan(1000);
    expect(estimateBytes(new ArrayBuffer(500))).toBeGreaterThan(500);
    expect(estimateBytes(new Map([["k", "v".repeat(100)]]))).toBeGreaterThan(200);
    expect(estimateBytes(new Set(["v".repeat(100)]))).toBeGreaterThan(200);
  });

  it("extrapolates instead of walking a huge value node by node", () => {
    const big = Array.from({ length: 20_000 }, (_, i) => ({ i }));
    expect(estimateBytes(big)).toBeGreaterThan(20_000 * 24);
  });
});
