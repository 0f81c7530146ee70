import { LRUCache } from "lru-cache";
import { describe, expect, it } from "vitest";
import { ABSENT, HELD, REUSED, ShadowLru } from "./shadow-lru.js";

/** `count` xorshift32 outputs from `seed`, as unsigned integers. */
function* randomNumbers(seed: number, count: number): Generator<number> {
  let x = seed;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield x >>> 0;
  }
}

describe("ShadowLru", () => {
  it("hits and misses exactly like lru-cache of the same capacity", () => {
    for (const capacity of [1, 7, 100]) {
      const shadow = new ShadowLru(capacity);
      const lru = new LRUCache<number, true>({ max: capacity });
      let disagreements = 0;
      for (const x of randomNumbers(2463534242, 20_000)) {
        const key = x % (capacity * 3);
        const lruHit = lru.get(key) !== undefined;
        if (!lruHit) lru.set(key, true);
        if (shadow.touch(key) !== lruHit) disagreements++;
      }
      expect(disagreements).toBe(0);
      expect(shadow.size).toBe(Math.min(capacity, lru.size));
    }
  });

  it("tells where LRU stands on a key without touching it", () => {
    const shadow = new ShadowLru(2);
    expect(shadow.standing(1)).toBe(ABSENT);
    shadow.touch(1);
    expect(shadow.standing(1)).toBe(HELD);
    shadow.touch(1);
    expect(shadow.standing(1)).toBe(REUSED);
    shadow.touch(2);
    // standing() did not refresh 1: it is still the least recent and 3 evicts it.
    shadow.touch(3);
    expect(shadow.standing(1)).toBe(ABSENT);
    // A slot reused by a new key starts with no reuse.
    shadow.touch(1);
    expect(shadow.standing(1)).toBe(HELD);
  });

  it("forgets everything on clear", () => {
    const shadow = new ShadowLru(4);
    shadow.touch(1);
    expect(shadow.touch(1)).toBe(true);
    shadow.clear();
    expect(shadow.size).toBe(0);
    expect(shadow.touch(1)).toBe(false);
  });
});

describe("ShadowLru.delete", () => {
  it("forgets a hash and keeps behaving exactly like lru-cache with the same deletes", () => {
    for (const capacity of [1, 7, 100]) {
      const shadow = new ShadowLru(capacity);
      const lru = new LRUCache<number, true>({ max: capacity });
      let disagreements = 0;
      for (const x of randomNumbers(88172645, 20_000)) {
        const key = x % (capacity * 3);
        if (x % 4 === 0) {
          if (shadow.delete(key) !== lru.delete(key)) disagreements++;
          continue;
        }
        const lruHit = lru.get(key) !== undefined;
        if (!lruHit) lru.set(key, true);
        if (shadow.touch(key) !== lruHit) disagreements++;
      }
      expect(disagreements).toBe(0);
      expect(shadow.size).toBe(lru.size);
    }
  });

  it("returns false for a hash it does not hold", () => {
    const shadow = new ShadowLru(4);
    shadow.touch(1);
    expect(shadow.delete(2)).toBe(false);
    expect(shadow.delete(1)).toBe(true);
    expect(shadow.delete(1)).toBe(false);
    expect(shadow.size).toBe(0);
  });
});
