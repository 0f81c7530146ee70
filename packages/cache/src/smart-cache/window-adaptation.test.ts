import { describe, expect, it } from "vitest";
import { FrequencySketch } from "./frequency-sketch.js";
import { ALARM_EVIDENCE, GROW_GAIN, LED_THRESHOLD } from "./ghost-feedback.js";
import { HASH_RANGE, hashKey } from "./hash-key.js";
import { HillClimberAdaptation, ShadowLruAdaptation } from "./window-adaptation.js";

describe("ShadowLruAdaptation after a sudden fall of the hit rate", () => {
  /**
   * A cache of 512 (blocks of 32 lookups): `warmHits` lookups of 16 keys, then keys that come
   * back once after being rejected — each return a confirmation (LRU still holds it).
   */
  const run = (warmHits: boolean) => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(512), 512, 512);
    const warm = Array.from({ length: 16 }, (_, i) => hashKey(`warm${i}`));
    for (let i = 0; i < 256; i++) adaptation.record(warm[i % 16] as number, warmHits);
    // One block of misses on new keys: after 100% hits, a drop.
    const fresh = Array.from({ length: 32 }, (_, i) => hashKey(`new${i}`));
    for (const hash of fresh) adaptation.record(hash, false);
    for (let i = 0; i < ALARM_EVIDENCE; i++) {
      adaptation.rejected(fresh[i] as number);
      adaptation.record(fresh[i] as number, false);
    }
    return adaptation;
  };

  it("lets ALARM_EVIDENCE confirmations lead after a drop, instead of LED_THRESHOLD", () => {
    const adaptation = run(true);
    expect(adaptation.dropsDetected).toBe(1);
    expect(adaptation.recencyLeads).toBe(true);
  });

  it("judges blocks of capacity ÷ 32 lookups: a fall shows within the first 128 of a 4,096-entry cache", () => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(4096), 4096, 4096);
    const warm = Array.from({ length: 64 }, (_, i) => hashKey(`warm${i}`));
    for (let i = 0; i < 2048; i++) adaptation.record(warm[i % 64] as number, true);
    for (let i = 0; i < 127; i++) adaptation.record(hashKey(`new${i}`), false);
    expect(adaptation.dropsDetected).toBe(0);
    adaptation.record(hashKey("new127"), false);
    expect(adaptation.dropsDetected).toBe(1);
  });

  it("needs LED_THRESHOLD confirmations when the hit rate did not fall", () => {
    const adaptation = run(false);
    expect(adaptation.dropsDetected).toBe(0);
    expect(adaptation.recencyLeads).toBe(false);
  });

  it("keeps the lead past the alarm when the shadow's wins were ahead", () => {
    const adaptation = run(true);
    // 512 more lookups (the alarm's span) of hits on keys LRU holds: no wins, no evidence.
    for (let i = 0; i < 512; i++) adaptation.record(hashKey(`new${i % 32}`), true);
    expect(adaptation.recencyLeads).toBe(true);
  });
});

describe("ShadowLruAdaptation", () => {
  it("grows the window by 8 × the epoch's net recency wins when they lean one way beyond chance", () => {
    const sketch = new FrequencySketch(256);
    const adaptation = new ShadowLruAdaptation(sketch, 256, 256);
    // Epoch = max(64, 256 / 4) = 64 lookups. 32 keys seen twice, missed both times by us:
    // the second sighting of each is a recency win (LRU would have hit). 32 − 0 ≥ √32.
    const changes: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 32; i++) changes.push(adaptation.record(hashKey(`k${i}`), false));
    }
    expect(changes.slice(0, 63).every((change) => change === 0)).toBe(true);
    expect(changes[63]).toBeCloseTo((8 * 32) / 256);
  });

  it("with a step gain of 1, moves it by the net evidence alone, significant or not", () => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(256), 256, 256, false, 1);
    let last = 0;
    for (let i = 0; i < 64; i++) last = adaptation.record(hashKey(`f${i}`), true);
    expect(last).toBeCloseTo(-32 / 256);
  });

  it("moves it by the net evidence alone when the wins are balanced (within chance)", () => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(256), 256, 256);
    const lookups: Array<[number, boolean]> = [];
    // 10 recency wins (keys seen twice, missed both times)…
    for (let i = 0; i < 10; i++) lookups.push([hashKey(`r${i}`), false]);
    for (let i = 0; i < 10; i++) lookups.push([hashKey(`r${i}`), false]);
    // …8 frequency wins (we hit, LRU never saw the key)…
    for (let i = 0; i < 8; i++) lookups.push([hashKey(`f${i}`), true]);
    // …and 36 misses both would have had: 10 − 8 < √18, so no gain.
    for (let i = 0; i < 36; i++) lookups.push([hashKey(`m${i}`), false]);
    let last = 0;
    for (const [hash, hit] of lookups) last = adaptation.record(hash, hit);
    expect(last).toBeCloseTo((10 - 0.5 * 8) / 256);
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

describe("ShadowLruAdaptation.prefers (LRU's second opinion on a lost contest)", () => {
  it("prefers a candidate LRU saw re-referenced over a victim LRU has already dropped", () => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(64), 64, 64);
    const stale = hashKey("stale");
    adaptation.record(stale, true);
    // 64 other keys push the stale one out of the 64-entry shadow.
    for (let i = 0; i < 64; i++) adaptation.record(hashKey(`fill${i}`), false);
    const fresh = hashKey("fresh");
    adaptation.record(fresh, false);
    expect(adaptation.prefers(fresh, stale)).toBe(false); // seen once: no evidence of reuse
    adaptation.record(fresh, false);
    expect(adaptation.prefers(fresh, stale)).toBe(true);
  });

  it("keeps frequency's verdict when LRU still holds the victim", () => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(64), 64, 64);
    const victim = hashKey("victim");
    const candidate = hashKey("candidate");
    adaptation.record(victim, true);
    adaptation.record(candidate, false);
    adaptation.record(candidate, false);
    expect(adaptation.prefers(candidate, victim)).toBe(false);
  });

  it("gives no opinion on keys the sampled shadow does not replay", () => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(65536), 65536, 65536);
    let skipped = 0;
    for (let i = 0; skipped === 0; i++) {
      const hash = hashKey(`u${i}`);
      if (hash >= HASH_RANGE / 4) skipped = hash;
    }
    adaptation.record(skipped, false);
    adaptation.record(skipped, false);
    expect(adaptation.prefers(skipped, hashKey("never seen"))).toBe(false);
  });
});

describe("ShadowLruAdaptation with ghost lists (recency leads)", () => {
  /** `count` keys each seen, rejected by admission, and back within LRU's reach. */
  function rejectedAndBack(adaptation: ShadowLruAdaptation, prefix: string, count: number): number {
    let change = 0;
    for (let i = 0; i < count; i++) {
      const hash = hashKey(`${prefix}${i}`);
      adaptation.record(hash, false);
      adaptation.rejected(hash);
      change += adaptation.record(hash, false);
    }
    return change;
  }

  it("lets LRU's word alone overturn a lost contest while recency leads", () => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(1024), 1024, 1024);
    const stale = hashKey("stale");
    adaptation.record(stale, true);
    for (let i = 0; i < 1024; i++) adaptation.record(hashKey(`fill${i}`), true);
    const fresh = hashKey("fresh");
    adaptation.record(fresh, false); // LRU holds it, seen once
    expect(adaptation.prefers(fresh, stale)).toBe(false);
    rejectedAndBack(adaptation, "back", LED_THRESHOLD);
    expect(adaptation.recencyLeads).toBe(true);
    expect(adaptation.prefers(fresh, stale)).toBe(true);
    expect(adaptation.prefers(hashKey("never seen"), stale)).toBe(false);
  });

  it("grows the window per rejected key that comes back once recency leads, between epochs", () => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(1024), 1024, 1024);
    // 2 lookups per key and an epoch of 256 lookups: the first 100 keys end no epoch.
    const change = rejectedAndBack(adaptation, "k", 100);
    // Keys LED_THRESHOLD … 99 each grew it by GROW_GAIN entries at once.
    expect(change).toBeCloseTo(((100 - LED_THRESHOLD + 1) * GROW_GAIN) / 1024);
  });

  it("tells whether LRU has dropped a key, and nothing about keys it does not sample", () => {
    const small = new ShadowLruAdaptation(new FrequencySketch(64), 64, 64);
    const key = hashKey("x");
    expect(small.dropped(key)).toBe(true);
    small.record(key, false);
    expect(small.dropped(key)).toBe(false);
    const large = new ShadowLruAdaptation(new FrequencySketch(65536), 65536, 65536);
    let skipped = 0;
    for (let i = 0; skipped === 0; i++) {
      const hash = hashKey(`d${i}`);
      if (hash >= HASH_RANGE / 4) skipped = hash;
    }
    expect(large.dropped(skipped)).toBeUndefined();
  });
});

describe("ShadowLruAdaptation after a hot-set shift", () => {
  /** Replays `rounds` passes over `keys`, reporting each lookup as our miss: LRU keeps winning. */
  function loseToLru(adaptation: ShadowLruAdaptation, keys: number[], rounds: number): number[] {
    const changes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const hash of keys) changes.push(adaptation.record(hash, false));
    }
    return changes;
  }

  it("with detectShifts, ages the sketch and jumps the window by a fifth of capacity when LRU keeps winning", () => {
    const sketch = new FrequencySketch(256);
    const adaptation = new ShadowLruAdaptation(sketch, 256, 256, true);
    const stale = hashKey("old hot key");
    for (let i = 0; i < 8; i++) sketch.increment(stale);
    // 64 new keys, each re-referenced within the shadow's capacity: every repeat is a
    // recency win, an epoch (64 lookups) after the first is all recency wins.
    const keys = Array.from({ length: 64 }, (_, i) => hashKey(`new${i}`));
    const changes = loseToLru(adaptation, keys, 3);
    const epochEnds = changes.filter((_, i) => (i + 1) % 64 === 0);
    // Epoch 2: 64 recency wins → +8 × 64/256; epoch 3 completes the streak and adds the jump.
    expect(epochEnds[1]).toBeCloseTo((8 * 64) / 256);
    expect(epochEnds[2]).toBeCloseTo((8 * 64) / 256 + 0.2);
    expect(adaptation.shiftsDetected).toBe(1);
    expect(sketch.frequency(stale)).toBe(4);
  });

  it("by default (detectShifts off) leaves the sketch and the window to the epoch rule", () => {
    const sketch = new FrequencySketch(256);
    const adaptation = new ShadowLruAdaptation(sketch, 256, 256);
    const stale = hashKey("old hot key");
    for (let i = 0; i < 8; i++) sketch.increment(stale);
    const keys = Array.from({ length: 64 }, (_, i) => hashKey(`new${i}`));
    const epochEnds = loseToLru(adaptation, keys, 3).filter((_, i) => (i + 1) % 64 === 0);
    expect(epochEnds[2]).toBeCloseTo((8 * 64) / 256);
    expect(adaptation.shiftsDetected).toBe(0);
    expect(sketch.frequency(stale)).toBe(8);
  });

  it("declares nothing while frequency holds its own", () => {
    const adaptation = new ShadowLruAdaptation(new FrequencySketch(256), 256, 256, true);
    const keys = Array.from({ length: 64 }, (_, i) => hashKey(`k${i}`));
    for (let round = 0; round < 10; round++) {
      for (const hash of keys) adaptation.record(hash, true);
    }
    expect(adaptation.shiftsDetected).toBe(0);
  });
});

describe("ShadowLruAdaptation sampling (SHARDS)", () => {
  it("replays every key up to 16,384 entries and a hash-selected share beyond", () => {
    expect(new ShadowLruAdaptation(new FrequencySketch(16384), 16384, 16384).sampleRate).toBe(1);
    const large = new ShadowLruAdaptation(new FrequencySketch(65536), 65536, 65536);
    expect(large.sampleRate).toBe(1 / 4);
    expect(large.shadowCapacity).toBe(65536);
  });

  it("counts evidence only for sampled keys, scaled back by the rate", () => {
    const sketch = new FrequencySketch(65536);
    const adaptation = new ShadowLruAdaptation(sketch, 65536, 65536);
    const sampled: number[] = [];
    const skipped: number[] = [];
    for (let i = 0; sampled.length < 8 || skipped.length < 8; i++) {
      const hash = hashKey(`s${i}`);
      (hash < HASH_RANGE / 4 ? sampled : skipped).push(hash);
    }
    // A skipped key's repeat is never a recency win: no credit in the sketch.
    adaptation.record(skipped[0] as number, false);
    adaptation.record(skipped[0] as number, false);
    expect(sketch.frequency(skipped[0] as number)).toBe(0);
    adaptation.record(sampled[0] as number, false);
    adaptation.record(sampled[0] as number, false);
    expect(sketch.frequency(sampled[0] as number)).toBe(2);
    // The epoch is 65536 / 4 lookups; one sampled recency win counts as 4 entries.
    let change = 0;
    for (let i = 4; i < 65536 / 4; i++) change = adaptation.record(skipped[1] as number, true);
    expect(change).toBeCloseTo(4 / 65536);
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
