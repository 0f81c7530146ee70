import { describe, expect, it } from "vitest";
import { FrequencySketch } from "./frequency-sketch.js";
import { hashKey } from "./hash-key.js";

describe("FrequencySketch", () => {
  it("estimates how often a key was recorded", () => {
    const sketch = new FrequencySketch(1000);
    const hot = hashKey("hot");
    for (let i = 0; i < 5; i++) sketch.increment(hot);
    sketch.increment(hashKey("cold"));
    expect(sketch.frequency(hot)).toBe(5);
    expect(sketch.frequency(hashKey("cold"))).toBe(1);
    expect(sketch.frequency(hashKey("never"))).toBe(0);
  });

  it("halves every counter at once when aged", () => {
    const sketch = new FrequencySketch(1000);
    const hot = hashKey("hot");
    for (let i = 0; i < 9; i++) sketch.increment(hot);
    sketch.age();
    expect(sketch.frequency(hot)).toBe(4);
    expect(sketch.resets).toBe(1);
  });

  it("saturates 4-bit counters at 15", () => {
    const sketch = new FrequencySketch(1000);
    const key = hashKey("k");
    for (let i = 0; i < 40; i++) sketch.increment(key);
    expect(sketch.frequency(key)).toBe(15);
  });

  it("halves every counter after 10 × capacity increments", () => {
    const sketch = new FrequencySketch(64);
    expect(sketch.sampleSize).toBe(640);
    const hot = hashKey("hot");
    for (let i = 0; i < 12; i++) sketch.increment(hot);
    // Fill the sample with distinct keys until one halving happens.
    // (A filler may share a counter with the hot key: compare with its estimate just before.)
    let n = 0;
    let before = 0;
    while (sketch.resets === 0) {
      before = sketch.frequency(hot);
      sketch.increment(hashKey(`filler-${n++}`));
    }
    expect(n).toBeLessThan(640);
    expect(before).toBeGreaterThanOrEqual(12);
    expect([before >>> 1, (before + 1) >>> 1]).toContain(sketch.frequency(hot));
  });

  it("grows its table on demand and forgets counts when it does", () => {
    const sketch = new FrequencySketch(16);
    const key = hashKey("k");
    sketch.increment(key);
    sketch.ensureCapacity(8);
    expect(sketch.frequency(key)).toBe(1);
    sketch.ensureCapacity(4096);
    expect(sketch.capacity).toBe(4096);
    expect(sketch.frequency(key)).toBe(0);
  });

  it("clear forgets every key", () => {
    const sketch = new FrequencySketch(16);
    const key = hashKey("k");
    sketch.increment(key);
    sketch.clear();
    expect(sketch.frequency(key)).toBe(0);
  });

  it("keeps distinct keys mostly apart (count-min error stays small)", () => {
    const sketch = new FrequencySketch(1024);
    for (let i = 0; i < 1024; i++) sketch.increment(hashKey(`key-${i}`));
    let overestimated = 0;
    for (let i = 0; i < 1024; i++) if (sketch.frequency(hashKey(`key-${i}`)) > 1) overestimated++;
    expect(overestimated).toBeLessThan(50);
  });
});
