import { describe, expect, it } from "vitest";
import { applyGcra, type GcraOperation, type Rate } from "./gcra.js";

const tenPerSecond: Rate = { limit: 10, periodMs: 1000 };
const take = (units: number, maxWaitMs = 0): GcraOperation => ({
  kind: "take",
  maxWaitMs,
  dims: [{ rate: tenPerSecond, units }, { units: 0 }],
});

describe("applyGcra", () => {
  it("lets an idle budget burst to its limit, then refills one unit per emission interval", () => {
    const tats = [0, 0];
    for (let i = 0; i < 10; i++) expect(applyGcra(tats, take(1), 5_000).granted).toBe(true);
    const refused = applyGcra(tats, take(1), 5_000);
    expect(refused).toMatchObject({ granted: false, waitMs: 100, changed: false });
    expect(applyGcra(tats, take(1), 5_100).granted).toBe(true);
    expect(applyGcra(tats, take(1), 5_100).granted).toBe(false);
  });

  it("reserves a future place when the wait fits maxWaitMs, queueing callers in order", () => {
    const tats = [0, 0];
    applyGcra(tats, take(10), 0);
    expect(applyGcra(tats, take(1, 500), 0)).toMatchObject({ granted: true, waitMs: 100 });
    expect(applyGcra(tats, take(1, 500), 0)).toMatchObject({ granted: true, waitMs: 200 });
    expect(applyGcra(tats, take(5, 500), 0)).toMatchObject({ granted: false, waitMs: 700 });
  });

  it("decides both dimensions together: one refusing spends neither", () => {
    const tokens: Rate = { limit: 100, periodMs: 1000 };
    const both = (t: number): GcraOperation => ({
      kind: "take",
      maxWaitMs: 0,
      dims: [
        { rate: tenPerSecond, units: 1 },
        { rate: tokens, units: t },
      ],
    });
    const tats = [0, 0];
    expect(applyGcra(tats, both(90), 0).granted).toBe(true);
    const before = tats.slice();
    expect(applyGcra(tats, both(20), 0)).toMatchObject({ granted: false, waitMs: 100 });
    expect(tats).toEqual(before);
  });

  it("adjusts taken units up and down (tokens settled against an estimate)", () => {
    const tats = [0, 0];
    applyGcra(tats, take(10), 0);
    applyGcra(tats, { kind: "adjust", dims: [{ rate: tenPerSecond, units: -3 }, { units: 0 }] }, 0);
    expect(applyGcra(tats, take(3), 0).granted).toBe(true);
    expect(applyGcra(tats, take(1), 0).granted).toBe(false);
    expect(
      applyGcra(tats, { kind: "adjust", dims: [{ rate: tenPerSecond, units: 0 }] }, 0).changed,
    ).toBe(false);
  });

  it("floors the budget to what the provider says is left, and never loosens it", () => {
    const tats = [0, 0];
    const floor = (afterMs: number, units: number): GcraOperation => ({
      kind: "floor",
      afterMs,
      dims: [{ rate: tenPerSecond, units }, { units: 0 }],
    });
    expect(applyGcra(tats, floor(0, 2), 0).changed).toBe(true);
    expect(applyGcra(tats, take(2), 0).granted).toBe(true);
    expect(applyGcra(tats, take(1), 0).granted).toBe(false);
    // "8 left" is looser than what we hold: ignored.
    expect(applyGcra(tats, floor(0, 8), 0).changed).toBe(false);
    // retry-after 2 s: nothing before then, one unit at 2 s.
    applyGcra(tats, floor(2_000, 1), 0);
    expect(applyGcra(tats, take(1), 1_999).granted).toBe(false);
    expect(applyGcra(tats, take(1), 2_000).granted).toBe(true);
  });

  it("skips dimensions without a rate", () => {
    const tats = [0, 0];
    const outcome = applyGcra(
      tats,
      { kind: "take", maxWaitMs: 0, dims: [{ units: 5 }, { units: 5 }] },
      0,
    );
    expect(outcome).toMatchObject({ granted: true, waitMs: 0 });
    expect(applyGcra(tats, { kind: "floor", afterMs: 0, dims: [{ units: 1 }] }, 0).changed).toBe(
      false,
    );
  });
});
