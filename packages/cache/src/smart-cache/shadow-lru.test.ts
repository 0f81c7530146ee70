import { LRUCache } from "lru-cache";
import { describe, expect, it } from "vitest";
import { ShadowLru } from "./shadow-lru.js";

describe("ShadowLru", () => {
  it("hits and misses exactly like lru-cache of the same capacity", () => {
    for (const capacity of [1, 7, 100]) {
      const shadow = new ShadowLru(capacity);
      const lru = new LRUCache<number, true>({ max: capacity });
      let x = 2463534242;
      let disagreements = 0;
      for (let i = 0; i < 20_000; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const key = (x >>> 0) % (capacity * 3);
        const lruHit = lru.get(key) !== undefined;
        if (!lruHit) lru.set(key, true);
        if (shadow.touch(key) !== lruHit) disagreements++;
      }
      expect(disagreements).toBe(0);
      expect(shadow.size).toBe(Math.min(capacity, lru.size));
    }
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
