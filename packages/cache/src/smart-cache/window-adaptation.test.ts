import { describe, expect, it } from "vitest";
import { FrequencySketch } from "./frequency-sketch.js";
import { hashKey } from "./hash-key.js";
import { HillClimberAdaptation, ShadowLruAdaptation } from "./window-adaptation.js";

describe("ShadowLruAdaptation", () => {
  it("grows the window by the epoch's net recency wins, in entries", () => {
    const sketch = new FrequencySketch(256);
    const adaptation = new ShadowLruAdaptation(sketch, 256, 256);
    // Epoch = max(64, 256 / 4) = 64 lookups. 32 keys seen twice, missed both times by us:
    // the second sighting of each is a recency win (LRU would have hit).
    const changes: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 32; i++) changes.push(adaptation.record(hashKey(`k${i}`), false));
    }
    expect(changes.slice(0, 63).every((change) => change === 0)).toBe(true);
    expect(changes[63]).toBeCloseTo(32 / 256);
  });

  it("shrinks it by half an entry per frequency win", () => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(256), 256, 256);
    let last = 0;
    // 64 distinct keys we "hit" but LRU has never seen: 64 frequency wins.
    for (let i = 0; i < 64; i++) last = adaptation.record(hashKey(`f${i}`), true);
    expect(last).toBeCloseTo(-32 / 256);
  });

  it("credits a recency win twice more in the sketch", () => {
    const sketch = new FrequencySketch(256);
    const adaptation = new ShadowLruAdaptation(sketch, 256, 256);
    const hash = hashKey("again");
    adaptation.record(hash, false);
    expect(sketch.frequency(hash)).toBe(0);
    adaptation.record(hash, false);
    expect(sketch.frequency(hash)).toBe(2);
  });
});

describe("HillClimberAdaptation", () => {
  it("moves once per sample, and only when the cache is warm", () => {
    let warm = false;
    const adaptation = new HillClimberAdaptation(
      () => 10,
      () => warm,
    );
    const moves: number[] = [];
    for (let i = 0; i < 20; i++) {
      if (i === 10) warm = true;
      moves.push(adaptation.record(0, i % 2 === 0));
    }
    expect(moves.filter((move) => move !== 0)).toEqual([-0.0625]);
    expect(moves[19]).toBeCloseTo(-0.0625);
  });
});
