import { ConfigError, type MemoryBudget, type MemoryConsumer } from "@llm/core";
import { LRUCache } from "lru-cache";
import { describe, expect, it } from "vitest";
import { type EvictionReason, SmartCache } from "./smart-cache.js";

/** A clock the test moves by hand. */
function manualClock(start = 0) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function xorshift(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Replays a trace (get, set on miss) and returns the hit count. */
function replay(cache: SmartCache<number>, keys: Iterable<string>): number {
  let hits = 0;
  for (const key of keys) {
    if (cache.get(key) !== undefined) hits++;
    else cache.set(key, 1);
  }
  return hits;
}

describe("SmartCache basics", () => {
  it("returns what was set and counts hits and misses", () => {
    const cache = new SmartCache<string>({ maxEntries: 10 });
    expect(cache.get("a")).toBeUndefined();
    expect(cache.set("a", "A")).toBe(true);
    expect(cache.get("a")).toBe("A");
    expect(cache.peek("a")).toBe("A");
    expect(cache.has("a")).toBe(true);
    expect(cache.has("b")).toBe(false);
    expect(cache.peek("b")).toBeUndefined();
    const stats = cache.stats();
    expect(stats).toMatchObject({ hits: 1, misses: 1, hitRate: 0.5, sets: 1, entries: 1 });
    expect(cache.size).toBe(1);
  });

  it("peek and has count neither hits nor misses", () => {
    const cache = new SmartCache<string>({ maxEntries: 10 });
    cache.set("a", "A");
    cache.peek("a");
    cache.has("a");
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, hitRate: 0 });
  });

  it("replaces the value of an existing key wherever it lives", () => {
    const cache = new SmartCache<string>({ maxEntries: 100 });
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, "old");
    for (let i = 0; i < 100; i++) cache.get(`k${i}`);
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, "new");
    expect(cache.size).toBe(100);
    for (let i = 0; i < 100; i++) expect(cache.peek(`k${i}`)).toBe("new");
  });

  it("refuses to cache undefined", () => {
    const cache = new SmartCache<string | undefined>({ maxEntries: 10 });
    expect(() => cache.set("a", undefined)).toThrow(TypeError);
  });

  it("rejects options without a bound or with nonsense values, naming the option", () => {
    expect(() => new SmartCache({})).toThrow(ConfigError);
    expect(() => new SmartCache({ maxEntries: -1 })).toThrow(/maxEntries/);
    expect(() => new SmartCache({ maxBytes: Number.NaN })).toThrow(/maxBytes/);
    expect(() => new SmartCache({ maxEntries: 1, ttlMs: -5 })).toThrow(/ttlMs/);
    expect(() => new SmartCache({ maxEntries: 1, staleWhileRevalidateMs: -1 })).toThrow(
      /staleWhileRevalidateMs/,
    );
    expect(() => new SmartCache({ maxEntries: 1, policy: "fifo" as unknown as "lru" })).toThrow(
      /policy/,
    );
  });

  it("delete removes a key once and reports it", () => {
    const evicted: Array<[string, EvictionReason]> = [];
    const cache = new SmartCache<string>({
      maxEntries: 10,
      onEvict: (key, _value, reason) => evicted.push([key, reason]),
    });
    cache.set("a", "A");
    expect(cache.delete("a")).toBe(true);
    expect(cache.delete("a")).toBe(false);
    expect(cache.get("a")).toBeUndefined();
    expect(evicted).toEqual([["a", "deleted"]]);
    expect(cache.stats().evictions.deleted).toBe(1);
  });
});

describe("SmartCache bounds", () => {
  it("holds at most maxEntries and reports every eviction", () => {
    const evicted: EvictionReason[] = [];
    const cache = new SmartCache<number>({
      maxEntries: 100,
      onEvict: (_k, _v, reason) => evicted.push(reason),
    });
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(100);
    const stats = cache.stats();
    expect(stats.evictions.capacity + stats.evictions.rejected).toBe(900);
    expect(evicted).toHaveLength(900);
    expect(stats.maxEntries).toBe(100);
  });

  it("holds at most maxBytes of accounted entries, with sizes given or computed", () => {
    const cache = new SmartCache<string>({ maxBytes: 10_000 });
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, "x".repeat(100 + (i % 50)));
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.bytes).toBeGreaterThan(5_000);
    expect(cache.stats().maxBytes).toBe(10_000);
    const sized = new SmartCache<string>({ maxBytes: 1000, maxEntries: 1000 });
    for (let i = 0; i < 100; i++) sized.set(`k${i}`, "v", { size: 100 });
    expect(sized.bytes).toBeLessThanOrEqual(1000);
    expect(sized.size).toBeLessThanOrEqual(10);
  });

  it("uses a custom sizeOf", () => {
    const cache = new SmartCache<Buffer>({ maxBytes: 4096, sizeOf: (value) => value.length });
    cache.set("a", Buffer.alloc(1000));
    expect(cache.bytes).toBe(1000);
  });

  it("after inserting 10 × maxBytes, accounts no more than maxBytes", () => {
    const maxBytes = 200_000;
    const cache = new SmartCache<string>({ maxBytes });
    let inserted = 0;
    for (let i = 0; inserted < 10 * maxBytes; i++) {
      const value = "y".repeat(200 + (i % 1800));
      cache.set(`key-${i}`, value);
      inserted += 2 * value.length;
    }
    expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
  });

  it("refuses an entry larger than the whole budget and counts it", () => {
    const cache = new SmartCache<string>({ maxBytes: 1000 });
    cache.set("big", "small first");
    expect(cache.set("big", "z".repeat(2000))).toBe(false);
    expect(cache.has("big")).toBe(false);
    expect(cache.stats().admissionsRefused.tooLarge).toBe(1);
  });

  it("reports false when a new entry loses admission at once", () => {
    const cache = new SmartCache<string>({ maxEntries: 100, maxBytes: 10_000 });
    for (let i = 0; i < 100; i++) cache.set(`hot${i}`, "v", { size: 90 });
    for (let round = 0; round < 3; round++) for (let i = 0; i < 100; i++) cache.get(`hot${i}`);
    // Bigger than the window's byte quota: it goes straight to the admission contest and loses.
    expect(cache.set("newcomer", "v", { size: 500 })).toBe(false);
    expect(cache.stats().admissionsRefused.frequency).toBeGreaterThan(0);
  });
});

describe("SmartCache TTL", () => {
  it("expires entries after the default TTL, on the injected clock", () => {
    const clock = manualClock();
    const evicted: EvictionReason[] = [];
    const cache = new SmartCache<string>({
      maxEntries: 10,
      ttlMs: 1000,
      now: clock.now,
      onEvict: (_k, _v, reason) => evicted.push(reason),
    });
    cache.set("a", "A");
    clock.advance(999);
    expect(cache.get("a")).toBe("A");
    clock.advance(2);
    expect(cache.has("a")).toBe(false);
    expect(cache.peek("a")).toBeUndefined();
    expect(cache.get("a")).toBeUndefined();
    expect(evicted).toEqual(["expired"]);
    expect(cache.stats().evictions.expired).toBe(1);
  });

  it("lets set() override the TTL per entry, including no TTL", () => {
    const clock = manualClock(5);
    const cache = new SmartCache<string>({ maxEntries: 10, ttlMs: 1000, now: clock.now });
    cache.set("short", "S", { ttlMs: 10 });
    cache.set("long", "L", { ttlMs: 60_000 });
    clock.advance(500);
    expect(cache.get("short")).toBeUndefined();
    expect(cache.get("long")).toBe("L");
    const forever = new SmartCache<string>({ maxEntries: 10, now: clock.now });
    forever.set("k", "v");
    clock.advance(1e9);
    expect(forever.get("k")).toBe("v");
  });

  it("keeps an entry's TTL when it moves between regions", () => {
    const clock = manualClock();
    const cache = new SmartCache<number>({ maxEntries: 10, ttlMs: 1000, now: clock.now });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, i);
    // Hits promote probation entries to protected; new keys push window entries to main.
    for (let i = 0; i < 10; i++) cache.get(`k${i}`);
    for (let i = 10; i < 15; i++) cache.set(`k${i}`, i);
    clock.advance(1001);
    for (let i = 0; i < 15; i++) expect(cache.get(`k${i}`)).toBeUndefined();
  });

  it("evicts expired entries before admitting anything, and shrink purges them first", () => {
    const clock = manualClock();
    const cache = new SmartCache<string>({ maxEntries: 20, maxBytes: 1e6, now: clock.now });
    for (let i = 0; i < 20; i++) cache.set(`old${i}`, "v", { ttlMs: 100 });
    clock.advance(200);
    for (let i = 0; i < 20; i++) cache.set(`new${i}`, "v");
    expect(cache.stats().evictions.expired).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) expect(cache.has(`old${i}`)).toBe(false);
    const other = new SmartCache<string>({ maxEntries: 20, maxBytes: 1e6, now: clock.now });
    other.set("a", "v", { ttlMs: 10 });
    other.set("b", "v");
    clock.advance(20);
    const before = other.bytes;
    expect(other.shrink(1)).toBe(before - other.bytes);
    expect(other.has("b")).toBe(true);
    expect(other.stats().evictions.expired).toBe(1);
  });
});

describe("SmartCache admission", () => {
  it("keeps a hot set through a scan of one-hit wonders, where LRU loses it", () => {
    const hot = Array.from({ length: 50 }, (_, i) => `hot${i}`);
    // 10,000 one-off keys with a hot key every 10th request: each hot key comes back only
    // after ~450 other keys, so recency alone cannot keep it in 100 entries.
    const trace: string[] = [];
    for (let i = 0; i < 10_000; i++)
      trace.push(i % 10 === 0 ? (hot[(i / 10) % 50] as string) : `scan${i}`);
    const hotHits = (policy: "w-tinylfu" | "lru") => {
      const cache = new SmartCache<number>({ maxEntries: 100, policy });
      let hits = 0;
      for (const key of trace) {
        if (cache.get(key) !== undefined) {
          if (key.startsWith("hot")) hits++;
        } else cache.set(key, 1);
      }
      const survivors = hot.filter((key) => cache.peek(key) !== undefined).length;
      return { hits, survivors };
    };
    const smart = hotHits("w-tinylfu");
    expect(smart.survivors).toBe(50);
    // Of 1,000 hot requests, 50 are cold misses and a few more lose to the scan while warming up.
    expect(smart.hits).toBeGreaterThan(750);
    expect(hotHits("lru").hits).toBe(0);
  });

  it("with policy lru hits exactly like lru-cache", () => {
    const random = xorshift(99);
    const keys = Array.from({ length: 20_000 }, () => `k${random() % 300}`);
    const lru = new LRUCache<string, number>({ max: 100 });
    let lruHits = 0;
    for (const key of keys) {
      if (lru.get(key) !== undefined) lruHits++;
      else lru.set(key, 1);
    }
    const cache = new SmartCache<number>({ maxEntries: 100, policy: "lru" });
    expect(replay(cache, keys)).toBe(lruHits);
    expect(cache.stats().policy).toBe("lru");
  });
});

/** Each key is used in a short burst then never again: recency is everything. */
function recencyTrace(length: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < length; i++) {
    for (let back = 0; back < 4; back++) if (i - back * 10 >= 0) keys.push(`r${i - back * 10}`);
  }
  return keys;
}

/** A loop over more keys than fit: LRU never hits, frequency keeps a stable part. */
function loopTrace(distinct: number, length: number): string[] {
  return Array.from({ length }, (_, i) => `l${i % distinct}`);
}

describe("SmartCache adaptive window", () => {
  it("keeps at least 0.5% of capacity in the window when frequency wins every epoch", () => {
    const cache = new SmartCache<number>({ maxEntries: 2000 });
    replay(cache, loopTrace(2400, 100_000));
    expect(cache.stats().window.fraction).toBe(0.005);
    expect(cache.stats().window.entries).toBeLessThanOrEqual(10);
  });

  it("refuses a step gain below 1 or not finite, naming the option", () => {
    expect(() => new SmartCache({ maxEntries: 10, stepGain: 0.5 })).toThrow(/stepGain/);
    expect(() => new SmartCache({ maxEntries: 10, stepGain: Number.NaN })).toThrow(/stepGain/);
    expect(new SmartCache({ maxEntries: 10, stepGain: 1 }).stats().policy).toBe("w-tinylfu");
  });

  it("refuses an unknown adaptation and an initial window outside (0, 1]", () => {
    expect(
      () => new SmartCache({ maxEntries: 10, adaptation: "random" as unknown as "shadow-lru" }),
    ).toThrow(/adaptation/);
    expect(() => new SmartCache({ maxEntries: 10, initialWindowFraction: 0 })).toThrow(
      /initialWindowFraction/,
    );
  });

  for (const adaptation of ["shadow-lru", "hill-climber"] as const) {
    it(`${adaptation}: grows the window on a recency trace and keeps it small on a loop`, () => {
      const recency = new SmartCache<number>({ maxEntries: 100, adaptation });
      replay(recency, recencyTrace(40_000));
      const loop = new SmartCache<number>({ maxEntries: 100, adaptation });
      replay(loop, loopTrace(150, 40_000));
      expect(recency.stats().window.fraction).toBeGreaterThan(0.2);
      // The climber's walk on a flat loop depends on sketch noise (it moved when hashKey
      // changed): "small" is a tenth of capacity, against the 0.2+ of the recency trace.
      expect(loop.stats().window.fraction).toBeLessThanOrEqual(0.1);
    });
  }

  it("on a recency trace does at least as well as LRU, static W-TinyLFU does not", () => {
    const trace = recencyTrace(40_000);
    const lru = replay(new SmartCache<number>({ maxEntries: 100, policy: "lru" }), trace);
    const adaptive = replay(new SmartCache<number>({ maxEntries: 100 }), trace);
    const fixed = replay(new SmartCache<number>({ maxEntries: 100, adaptive: false }), trace);
    expect(adaptive).toBeGreaterThanOrEqual(lru * 0.99);
    expect(fixed).toBeLessThan(lru * 0.9);
  });

  it("after a hot-set shift, takes in the new hot set within 2 × capacity requests", () => {
    const random = xorshift(7);
    const capacity = 400;
    // Log-uniform ranks over 3,000 keys (Zipf-like) with 30% one-off keys; at the shift every
    // popular key is replaced by a new one (prefix a → b).
    const phase = (prefix: string, length: number) =>
      Array.from({ length }, (_, i) =>
        random() % 10 < 3
          ? `once-${prefix}${i}`
          : `${prefix}${Math.floor(Math.exp(((random() % 100_000) / 100_000) * Math.log(3000)))}`,
      );
    const before = phase("a", 20_000);
    const after = phase("b", 2 * capacity);
    const newHot = Array.from({ length: 100 }, (_, i) => `b${i}`);
    const run = (cache: {
      get(key: string): unknown;
      set(key: string, value: number): unknown;
      peek(key: string): unknown;
    }) => {
      for (const key of before) if (cache.get(key) === undefined) cache.set(key, 1);
      let hits = 0;
      for (const key of after) {
        if (cache.get(key) !== undefined) hits++;
        else cache.set(key, 1);
      }
      return { hits, held: newHot.filter((key) => cache.peek(key) !== undefined).length };
    };
    const lru = run(new LRUCache<string, number>({ max: capacity }));
    const adaptive = new SmartCache<number>({ maxEntries: capacity });
    const ours = run(adaptive);
    const fixed = run(new SmartCache<number>({ maxEntries: capacity, adaptive: false }));
    // The hit rate fell at the shift and the ghosts confirmed recency's lead within a few
    // misses (GhostFeedback's alarm): lost contests went LRU's way and the window grew from
    // 1% to over a quarter of the cache, so the new hot keys are kept as LRU keeps them…
    // (deterministic: 69 of the 100 held against LRU's 66, 259 hits against 272)
    expect(adaptive.stats().window.fraction).toBeGreaterThan(0.25);
    expect(ours.held).toBeGreaterThanOrEqual(0.9 * lru.held);
    expect(ours.hits).toBeGreaterThanOrEqual(0.85 * lru.hits);
    // …where a fixed 1% window still shuts most of them out.
    expect(fixed.hits).toBeLessThan(0.7 * lru.hits);
  });

  describe("ghost feedback (ARC-style ghost lists)", () => {
    /** Zipf(1)-like ranks over 10 × capacity keys, 10% one-off keys. */
    function zipfPhase(random: () => number, prefix: string, length: number, keys: number) {
      return Array.from({ length }, (_, i) =>
        random() % 10 === 0
          ? `once-${prefix}${i}`
          : `${prefix}${Math.floor(Math.exp(((random() % 1_000_000) / 1_000_000) * Math.log(keys)))}`,
      );
    }

    it("hits more often in the 2 × capacity requests after a hot-set shift than the epoch rule alone", () => {
      const capacity = 1000;
      const random = xorshift(7);
      const before = zipfPhase(random, "a", 40 * capacity, 10 * capacity);
      const after = zipfPhase(random, "b", 2 * capacity, 10 * capacity);
      const afterShift = (options: { ghostFeedback?: boolean }) => {
        const cache = new SmartCache<number>({ maxEntries: capacity, ...options });
        replay(cache, before);
        return replay(cache, after);
      };
      const withGhosts = afterShift({});
      const epochRuleAlone = afterShift({ ghostFeedback: false });
      expect(withGhosts).toBeGreaterThan(epochRuleAlone);
    });

    it("does not let a loop longer than the cache open the window (rejected keys return beyond LRU's reach)", () => {
      const capacity = 100;
      const loop = Array.from({ length: 60 * capacity }, (_, i) => `loop${i % (1.5 * capacity)}`);
      const withGhosts = new SmartCache<number>({ maxEntries: capacity });
      const without = new SmartCache<number>({ maxEntries: capacity, ghostFeedback: false });
      const hits = replay(withGhosts, loop);
      expect(hits).toBe(replay(without, loop));
      expect(hits).toBeGreaterThan(0.5 * loop.length * (capacity / (1.5 * capacity)));
      expect(withGhosts.stats().window.fraction).toBeLessThan(0.05);
    });
  });

  it("admits a key LRU saw re-referenced over a victim LRU has dropped, whatever their counts", () => {
    const cache = new SmartCache<number>({ maxEntries: 100 });
    // A hot set of 100 keys read many times: high counts, all in main.
    const stale = Array.from({ length: 100 }, (_, i) => `stale${i}`);
    for (let round = 0; round < 12; round++) replay(cache, stale);
    // 100 fresh keys read twice each in quick succession: each second read is within the
    // shadow LRU's 100 distinct keys, while the stale keys fall out of it.
    const fresh = Array.from({ length: 100 }, (_, i) => `fresh${i}`);
    for (let i = 0; i < fresh.length; i += 10) {
      const group = fresh.slice(i, i + 10);
      replay(cache, group);
      replay(cache, group);
    }
    const held = fresh.filter((key) => cache.peek(key) !== undefined).length;
    // Without LRU's second opinion the window's growth alone keeps 81 of them, and 30
    // candidates lose on their counts; with it, 96 and 14.
    expect(held).toBeGreaterThanOrEqual(90);
    expect(cache.stats().admissionsRefused.frequency).toBeLessThanOrEqual(20);
  });

  it("starts from a configured window fraction", () => {
    const cache = new SmartCache<number>({ maxEntries: 100, initialWindowFraction: 0.5 });
    expect(cache.stats().window.fraction).toBe(0.5);
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, i);
    expect(cache.stats().window.entries).toBe(50);
  });

  it("adapts when the byte bound binds long before the entry bound", () => {
    const recency = new SmartCache<number>({
      maxEntries: 5000,
      maxBytes: 100 * 300,
      sizeOf: () => 300,
    });
    replay(recency, recencyTrace(40_000));
    const loop = new SmartCache<number>({
      maxEntries: 5000,
      maxBytes: 100 * 300,
      sizeOf: () => 300,
    });
    replay(loop, loopTrace(150, 40_000));
    expect(recency.size).toBeGreaterThanOrEqual(98);
    expect(recency.stats().window.fraction).toBeGreaterThan(0.2);
    expect(loop.stats().window.fraction).toBeLessThanOrEqual(0.05);
  });

  it("adapts a byte-bounded cache as it learns how many entries it holds", () => {
    const cache = new SmartCache<number>({ maxBytes: 100 * 300, sizeOf: () => 300 });
    replay(cache, recencyTrace(40_000));
    // Byte quotas split between regions can strand a few bytes: 98–100 entries of 300.
    expect(cache.size).toBeGreaterThanOrEqual(98);
    expect(cache.bytes).toBeLessThanOrEqual(100 * 300);
    expect(cache.stats().window.fraction).toBeGreaterThan(0.2);
  });
});

describe("SmartCache getOrLoad", () => {
  it("shares one load among 100 concurrent callers", async () => {
    const cache = new SmartCache<string>({ maxEntries: 10 });
    let loads = 0;
    let release: (value: string) => void = () => {};
    const loader = () => {
      loads++;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const all = Promise.all(Array.from({ length: 100 }, () => cache.getOrLoad("k", loader)));
    release("answer");
    const values = await all;
    expect(loads).toBe(1);
    expect(new Set(values)).toEqual(new Set(["answer"]));
    expect(cache.get("k")).toBe("answer");
    expect(cache.stats()).toMatchObject({ loads: 1, coalesced: 99, loadErrors: 0 });
    expect(await cache.getOrLoad("k", loader)).toBe("answer");
    expect(loads).toBe(1);
  });

  it("gives every waiter the error of a failed load and does not cache it", async () => {
    const cache = new SmartCache<string>({ maxEntries: 10 });
    let loads = 0;
    const failing = async () => {
      loads++;
      throw new Error("upstream down");
    };
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => cache.getOrLoad("k", failing)),
    );
    expect(loads).toBe(1);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      expect((result as PromiseRejectedResult).reason).toHaveProperty("message", "upstream down");
    }
    expect(cache.has("k")).toBe(false);
    expect(await cache.getOrLoad("k", async () => "ok")).toBe("ok");
    expect(cache.stats()).toMatchObject({ loads: 2, loadErrors: 1 });
  });

  it("turns a loader that throws synchronously into a rejection", async () => {
    const cache = new SmartCache<string>({ maxEntries: 10 });
    const loader = (): Promise<string> => {
      throw new Error("sync");
    };
    await expect(cache.getOrLoad("k", loader)).rejects.toThrow("sync");
  });

  it("measures load time on the injected clock and stores with the given TTL and tags", async () => {
    const clock = manualClock();
    const cache = new SmartCache<string>({ maxEntries: 10, now: clock.now });
    await cache.getOrLoad(
      "k",
      async () => {
        clock.advance(250);
        return "v";
      },
      { ttlMs: 1000, tags: ["t"] },
    );
    expect(cache.stats().loadTimeMs).toEqual({ total: 250, mean: 250 });
    expect(cache.invalidateTag("t")).toBe(1);
    await cache.getOrLoad("k2", async () => "v", { ttlMs: 1000 });
    clock.advance(1001);
    expect(cache.get("k2")).toBeUndefined();
  });

  it("does not store a load whose key was invalidated while it was in flight", async () => {
    const cache = new SmartCache<string>({ maxEntries: 10 });
    const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve("v"), 5));
    const byDelete = cache.getOrLoad("a:1", slow);
    cache.delete("a:1");
    const byPrefix = cache.getOrLoad("b:1", slow);
    cache.invalidatePrefix("b:");
    const byTag = cache.getOrLoad("c:1", slow, { tags: ["c"] });
    cache.invalidateTag("c");
    const byClear = cache.getOrLoad("d:1", slow);
    cache.clear();
    expect(await Promise.all([byDelete, byPrefix, byTag, byClear])).toEqual(["v", "v", "v", "v"]);
    expect(cache.size).toBe(0);
  });

  it("starts a fresh load for callers that come after an invalidation", async () => {
    const cache = new SmartCache<string>({ maxEntries: 10 });
    let version = 0;
    const loader = async () => {
      const mine = ++version;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return `v${mine}`;
    };
    const before = cache.getOrLoad("k", loader);
    cache.delete("k");
    const after = cache.getOrLoad("k", loader);
    expect(await before).toBe("v1");
    expect(await after).toBe("v2");
    expect(cache.get("k")).toBe("v2");
  });

  it("serves a stale value once past its TTL while one background load refreshes it", async () => {
    const clock = manualClock();
    const cache = new SmartCache<string>({
      maxEntries: 10,
      ttlMs: 1000,
      staleWhileRevalidateMs: 5000,
      now: clock.now,
    });
    let version = 0;
    let release: () => void = () => {};
    const loader = () => {
      version++;
      const value = `v${version}`;
      return new Promise<string>((resolve) => {
        release = () => resolve(value);
      });
    };
    const first = cache.getOrLoad("k", loader);
    release();
    expect(await first).toBe("v1");
    clock.advance(1500);
    // Stale: plain reads miss, getOrLoad answers at once with the old value and refreshes.
    expect(cache.get("k")).toBeUndefined();
    expect(cache.has("k")).toBe(false);
    expect(cache.peek("k")).toBeUndefined();
    expect(await cache.getOrLoad("k", loader)).toBe("v1");
    expect(await cache.getOrLoad("k", loader)).toBe("v1");
    expect(version).toBe(2);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.getOrLoad("k", loader)).toBe("v2");
    expect(cache.get("k")).toBe("v2");
    expect(cache.stats().staleServed).toBe(2);
  });

  it("loads in the foreground once the stale grace is over too", async () => {
    const clock = manualClock();
    const cache = new SmartCache<string>({
      maxEntries: 10,
      ttlMs: 1000,
      staleWhileRevalidateMs: 1000,
      now: clock.now,
    });
    await cache.getOrLoad("k", async () => "old");
    clock.advance(2500);
    expect(await cache.getOrLoad("k", async () => "new")).toBe("new");
    expect(cache.stats().staleServed).toBe(0);
  });

  it("counts a failed background refresh and keeps serving the stale value", async () => {
    const clock = manualClock();
    const cache = new SmartCache<string>({
      maxEntries: 10,
      ttlMs: 100,
      staleWhileRevalidateMs: 10_000,
      now: clock.now,
    });
    await cache.getOrLoad("k", async () => "old");
    clock.advance(200);
    expect(
      await cache.getOrLoad("k", async () => {
        throw new Error("refresh failed");
      }),
    ).toBe("old");
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.stats().loadErrors).toBe(1);
    expect(await cache.getOrLoad("k", async () => "new")).toBe("old");
  });
});

describe("SmartCache invalidation", () => {
  it("invalidates by prefix and by tag, and keeps tags in step with replaced entries", () => {
    const cache = new SmartCache<string>({ maxEntries: 100 });
    cache.set("user:1:a", "v", { tags: ["user:1", "docs"] });
    cache.set("user:1:b", "v", { tags: ["user:1"] });
    cache.set("user:2:a", "v", { tags: ["user:2", "docs"] });
    cache.set("other", "v");
    expect(cache.invalidatePrefix("user:1:")).toBe(2);
    expect(cache.has("user:2:a")).toBe(true);
    expect(cache.invalidateTag("user:1")).toBe(0);
    cache.set("user:2:a", "v2", { tags: ["user:2"] });
    expect(cache.invalidateTag("docs")).toBe(0);
    expect(cache.invalidateTag("user:2")).toBe(1);
    expect(cache.invalidateTag("unknown")).toBe(0);
    expect([...["other"]].map((k) => cache.has(k))).toEqual([true]);
  });

  it("drops a tag's index when its last entry is evicted", () => {
    const cache = new SmartCache<number>({ maxEntries: 2, policy: "lru" });
    cache.set("a", 1, { tags: ["t"] });
    cache.set("b", 2, { tags: ["t", "u"] });
    for (let i = 0; i < 50; i++) cache.set(`x${i}`, i);
    expect(cache.invalidateTag("t")).toBe(0);
    expect(cache.invalidateTag("u")).toBe(0);
  });

  it("clear removes every entry and reports each as deleted", () => {
    const evicted: string[] = [];
    const cache = new SmartCache<number>({
      maxEntries: 100,
      onEvict: (key, _v, reason) => evicted.push(`${key}:${reason}`),
    });
    for (let i = 0; i < 30; i++) cache.set(`k${i}`, i);
    for (let i = 0; i < 30; i++) cache.get(`k${i}`);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get("k1")).toBeUndefined();
    expect(evicted).toHaveLength(30);
    expect(evicted.every((e) => e.endsWith(":deleted"))).toBe(true);
    expect(cache.stats().evictions.deleted).toBe(30);
  });
});

describe("SmartCache memory", () => {
  it("registers as a MemoryConsumer that reports its bytes and shrinks coldest first", async () => {
    let consumer: MemoryConsumer | undefined;
    let unregistered = 0;
    const budget: MemoryBudget = {
      register(c) {
        consumer = c;
        return () => {
          unregistered++;
        };
      },
    };
    const cache = new SmartCache<string>({
      maxEntries: 100,
      memory: budget,
      name: "l1",
      priority: 3,
    });
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, "v".repeat(100));
    for (let round = 0; round < 3; round++) for (let i = 0; i < 10; i++) cache.get(`k${i}`);
    if (consumer === undefined) throw new Error("not registered");
    expect(consumer).toMatchObject({ name: "l1", priority: 3 });
    expect(consumer.bytes()).toBe(cache.bytes);
    const before = cache.bytes;
    const released = await consumer.shrink(before / 2);
    expect(released).toBeGreaterThanOrEqual(before / 2);
    expect(cache.bytes).toBe(before - released);
    // The hot keys were protected, so they outlive the cold ones.
    for (let i = 0; i < 10; i++) expect(cache.has(`k${i}`)).toBe(true);
    expect(cache.stats().evictions.shrink).toBeGreaterThan(0);
    cache.dispose();
    cache.dispose();
    expect(unregistered).toBe(1);
  });

  it("shrinks everything when asked for more than it holds, and nothing without byte accounting", () => {
    const cache = new SmartCache<string>({ maxBytes: 10_000 });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, "v");
    const held = cache.bytes;
    expect(cache.shrink(1e9)).toBe(held);
    expect(cache.size).toBe(0);
    expect(cache.shrink(0)).toBe(0);
    const unaccounted = new SmartCache<string>({ maxEntries: 10 });
    unaccounted.set("a", "v");
    expect(unaccounted.bytes).toBe(0);
    expect(unaccounted.shrink(100)).toBe(0);
    expect(unaccounted.size).toBe(1);
  });
});
