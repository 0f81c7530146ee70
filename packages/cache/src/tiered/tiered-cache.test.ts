import { describe, expect, it } from "vitest";
import { FlakyStore } from "../../test/flaky-store.js";
import { SmartCache } from "../smart-cache/smart-cache.js";
import type { CacheStore } from "../store/cache-store.js";
import { MemoryStore } from "../store/memory-store.js";
import { waitUntil } from "../store/store-conformance.js";
import { TieredCache, type TieredCacheOptions } from "./tiered-cache.js";

interface Clock {
  now: number;
}

function setup(
  l2: CacheStore | undefined,
  clock: Clock = { now: 1_000_000 },
  extra: Partial<TieredCacheOptions<unknown>> = {},
) {
  const l1 = new SmartCache<unknown>({ maxEntries: 100, now: () => clock.now });
  const errors: string[] = [];
  const cache = new TieredCache<unknown>({
    l1,
    ...(l2 ? { l2 } : {}),
    now: () => clock.now,
    onError: (_error, operation) => errors.push(operation),
    ...extra,
  });
  return { cache, l1, errors, clock };
}

describe("TieredCache", () => {
  it("answers from L1 after a set", async () => {
    const { cache } = setup(new MemoryStore());
    await cache.set("k", { a: 1 });
    expect(await cache.lookup("k")).toEqual({ value: { a: 1 }, level: "l1" });
  });

  it("splits a lookup into a synchronous L1 half and an L2 half, counted as one lookup", async () => {
    const store = new MemoryStore();
    const { cache, l1 } = setup(store);
    await cache.set("k", { a: 1 });
    expect(cache.lookupL1("k")).toEqual({ value: { a: 1 }, level: "l1" });
    l1.clear();
    expect(cache.lookupL1("k")).toBeUndefined();
    expect(await cache.lookupL2("k")).toMatchObject({ value: { a: 1 }, level: "l2" });
    expect(cache.stats().l1).toMatchObject({ hits: 1, misses: 1 });
    expect(cache.stats().l2).toMatchObject({ hits: 1, misses: 0 });
  });

  it("answers from L2 when L1 lost the entry, and promotes it to L1", async () => {
    const store = new MemoryStore();
    const { cache, l1 } = setup(store);
    await cache.set("k", "v", { tags: ["t"] });
    l1.clear();
    const hit = await cache.lookup("k");
    expect(hit?.level).toBe("l2");
    expect(hit?.value).toBe("v");
    expect(l1.get("k")).toBe("v");
    expect(cache.stats().l2.hits).toBe(1);
    // The tag travelled with the entry into L1.
    expect(l1.invalidateTag("t")).toBe(1);
  });

  it("promotes an L2 hit with its remaining ttl", async () => {
    const clock = { now: 1_000_000 };
    const store = new MemoryStore({ now: () => clock.now });
    const { cache, l1 } = setup(store, clock);
    await cache.set("k", "v", { ttlMs: 1_000 });
    l1.clear();
    clock.now += 600;
    expect((await cache.lookup("k"))?.level).toBe("l2");
    clock.now += 500; // 1 100 ms after the write: gone from the promoted L1 copy too
    expect(l1.get("k")).toBeUndefined();
  });

  it("treats an L2 entry past its envelope expiry as a miss", async () => {
    const clock = { now: 1_000_000 };
    const store = new MemoryStore(); // real clock: the store itself still holds it
    const { cache, l1 } = setup(store, clock);
    await cache.set("k", "v", { ttlMs: 1_000 });
    l1.clear();
    clock.now += 2_000;
    expect(await cache.lookup("k")).toBeUndefined();
  });

  it("shares entries between two caches on one store", async () => {
    const store = new MemoryStore();
    const a = setup(store).cache;
    const b = setup(store.connect()).cache;
    await a.set("k", "answer");
    expect(await b.lookup("k")).toMatchObject({ value: "answer", level: "l2" });
  });

  it("evicts another process's L1 when a key, prefix, tag or everything is invalidated", async () => {
    const store = new MemoryStore();
    const a = setup(store).cache;
    const b = setup(store.connect());
    await a.set("k1", 1);
    await a.set("p:1", 2);
    await a.set("t1", 3, { tags: ["tag"] });
    await a.set("other", 4);
    for (const k of ["k1", "p:1", "t1", "other"]) await b.cache.get(k);
    expect(b.l1.size).toBe(4);

    await a.delete("k1");
    expect(b.l1.has("k1")).toBe(false);
    expect((await a.invalidatePrefix("p:")).l2).toBe(1);
    expect(b.l1.has("p:1")).toBe(false);
    expect((await a.invalidateTag("tag")).l2).toBe(1);
    expect(b.l1.has("t1")).toBe(false);
    expect(b.l1.has("other")).toBe(true);
    await a.clear();
    expect(b.l1.size).toBe(0);
    expect(b.cache.stats().remoteInvalidations).toBe(4);
  });

  it("deletes from both levels and says whether the key existed", async () => {
    const { cache } = setup(new MemoryStore());
    await cache.set("k", 1);
    expect(await cache.delete("k")).toBe(true);
    expect(await cache.get("k")).toBeUndefined();
    expect(await cache.delete("k")).toBe(false);
  });

  it("invalidates by prefix and tag in L1 alone when there is no L2", async () => {
    const { cache } = setup(undefined);
    await cache.set("p:1", 1, { tags: ["x"] });
    await cache.set("q:1", 2, { tags: ["x"] });
    expect(await cache.invalidatePrefix("p:")).toEqual({ l1: 1, l2: 0 });
    expect(await cache.invalidateTag("x")).toEqual({ l1: 1, l2: 0 });
    await cache.set("r", 3);
    await cache.clear();
    expect(await cache.get("r")).toBeUndefined();
    expect(cache.stats().l2.enabled).toBe(false);
  });

  it("counts a damaged L2 entry as corrupt, serves a miss and deletes it", async () => {
    const store = new MemoryStore();
    const { cache, errors } = setup(store);
    for (const bad of [
      "{not json",
      '{"v":99,"at":1,"exp":null,"data":1}',
      "[]",
      '{"v":1,"at":"x"}',
      '{"v":1,"at":1,"exp":"x","data":1}',
      '{"v":1,"at":1,"exp":null}',
    ]) {
      await store.set("k", bad);
      expect(await cache.lookup("k")).toBeUndefined();
    }
    expect(cache.stats().l2.corrupt).toBe(6);
    expect(errors).toContain("decode");
    await waitUntil(async () => (await store.get("k")) === undefined);
  });

  it("rejects a value the codec refuses, as corrupt", async () => {
    const store = new MemoryStore();
    const l1 = new SmartCache<number>({ maxEntries: 10 });
    const cache = new TieredCache<number>({
      l1,
      l2: store,
      codec: {
        toJSON: (v) => v,
        fromJSON: (j) => {
          if (typeof j !== "number") throw new TypeError("not a number");
          return j;
        },
      },
    });
    await store.set("k", '{"v":1,"at":1,"exp":null,"tags":[],"data":"text"}');
    expect(await cache.get("k")).toBeUndefined();
    expect(cache.stats().l2.corrupt).toBe(1);
  });

  it("keeps the L1 write and reports it when a value cannot be encoded", async () => {
    const { cache, errors } = setup(new MemoryStore());
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await cache.set("k", cyclic);
    expect(await cache.get("k")).toBe(cyclic);
    expect(errors).toEqual(["encode"]);
  });

  it("loads a missing key once for concurrent callers and stores it", async () => {
    const { cache } = setup(new MemoryStore());
    let loads = 0;
    const loader = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return "loaded";
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => cache.getOrLoad("k", loader)),
    );
    expect(results).toEqual(Array(20).fill("loaded"));
    expect(loads).toBe(1);
    expect(await cache.getOrLoad("k", loader)).toBe("loaded");
    expect(loads).toBe(1);
  });

  it("answers a load invalidated while in flight but stores it in neither level, as SmartCache does", async () => {
    const store = new MemoryStore();
    const { cache, l1 } = setup(store);
    let finish: ((value: string) => void) | undefined;
    const loading = cache.getOrLoad(
      "k",
      () => new Promise<string>((resolve) => (finish = resolve)),
    );
    await waitUntil(() => finish !== undefined);
    await cache.delete("k");
    finish?.("stale");
    expect(await loading).toBe("stale");
    expect(l1.peek("k")).toBeUndefined();
    expect(await store.get("k")).toBeUndefined();
    // A later caller starts a fresh load instead of joining the abandoned one.
    expect(await cache.getOrLoad("k", async () => "fresh")).toBe("fresh");
    expect(await cache.get("k")).toBe("fresh");
  });

  it("drops a load in flight when its tag or prefix is invalidated", async () => {
    const { cache, l1 } = setup(new MemoryStore());
    const finishers: Array<(value: string) => void> = [];
    const load = () => new Promise<string>((resolve) => finishers.push(resolve));
    const tagged = cache.getOrLoad("a:1", load, { tags: ["t"] });
    const prefixed = cache.getOrLoad("b:1", load);
    await waitUntil(() => finishers.length === 2);
    await cache.invalidateTag("t");
    await cache.invalidatePrefix("b:");
    for (const finish of finishers) finish("stale");
    expect(await Promise.all([tagged, prefixed])).toEqual(["stale", "stale"]);
    expect([l1.peek("a:1"), l1.peek("b:1")]).toEqual([undefined, undefined]);
  });

  it("does not promote a value read from L2 while the key was being invalidated", async () => {
    const store = new MemoryStore();
    const { cache, l1 } = setup(store);
    await cache.set("k", "old");
    l1.clear();
    const reading = cache.lookup("k");
    await cache.delete("k");
    await reading;
    expect(l1.get("k")).toBeUndefined();
  });
});

describe("TieredCache when L2 fails", () => {
  it("answers from L1 and counts errors while the store throws", async () => {
    const store = new FlakyStore();
    const { cache, errors } = setup(store);
    await cache.set("k", "v");
    store.mode = "throw";
    expect(await cache.get("k")).toBe("v");
    expect(await cache.get("missing")).toBeUndefined();
    await cache.set("k2", "v2");
    expect(await cache.get("k2")).toBe("v2");
    expect(cache.stats().l2.errors).toBe(2);
    expect(errors).toEqual(["get", "set"]);
  });

  it("times out a hanging store and serves a miss", async () => {
    const store = new FlakyStore();
    store.mode = "hang";
    const { cache } = setup(store, undefined, { l2Guard: { timeoutMs: 20 } });
    expect(await cache.get("k")).toBeUndefined();
    expect(cache.stats().l2.timeouts).toBe(1);
  });

  it("stops calling a dead store after repeated failures, probes after the back-off and recovers", async () => {
    const clock = { now: 1_000_000 };
    const store = new FlakyStore(new MemoryStore());
    const { cache } = setup(store, clock, { l2Guard: { failureThreshold: 3, backoffMs: 1_000 } });
    await store.inner.set("k", '{"v":1,"at":1,"exp":null,"tags":[],"data":"from-l2"}');
    store.mode = "throw";
    for (let i = 0; i < 10; i++) await cache.get(`miss-${i}`);
    expect(store.calls).toBe(3);
    expect(cache.stats().l2).toMatchObject({ state: "open", errors: 3, skipped: 7, trips: 1 });

    clock.now += 1_000; // the probe fails: back-off doubles
    await cache.get("x");
    expect(store.calls).toBe(4);
    clock.now += 1_000;
    await cache.get("x");
    expect(store.calls).toBe(4);

    store.mode = "ok";
    clock.now += 1_000;
    expect(await cache.get("k")).toBe("from-l2");
    expect(cache.stats().l2.state).toBe("closed");
  });

  it("replays invalidations that failed once the store is back", async () => {
    const clock = { now: 1_000_000 };
    const store = new FlakyStore(new MemoryStore());
    const { cache } = setup(store, clock, { l2Guard: { failureThreshold: 1, backoffMs: 100 } });
    await cache.set("a", 1);
    await cache.set("p:1", 2);
    await cache.set("t", 3, { tags: ["tag"] });
    store.mode = "throw";
    expect(await cache.delete("a")).toBe(true);
    await cache.invalidatePrefix("p:");
    await cache.invalidateTag("tag");
    expect(cache.stats().pendingInvalidations).toBe(3);
    expect(await store.inner.get("a")).toBeDefined();

    store.mode = "ok";
    clock.now += 100;
    await cache.get("probe");
    await waitUntil(() => cache.stats().pendingInvalidations === 0);
    expect(await store.inner.get("a")).toBeUndefined();
    expect(await store.inner.get("p:1")).toBeUndefined();
    expect(await store.inner.get("t")).toBeUndefined();
  });

  it("keeps only the clear once a clear is pending", async () => {
    const clock = { now: 1_000_000 };
    const store = new FlakyStore(new MemoryStore());
    const { cache } = setup(store, clock, { l2Guard: { failureThreshold: 1, backoffMs: 100 } });
    await cache.set("a", 1);
    store.mode = "throw";
    await cache.delete("a");
    await cache.clear();
    expect(cache.stats().pendingInvalidations).toBe(1);
    store.mode = "ok";
    clock.now += 100;
    await cache.get("probe");
    await waitUntil(() => cache.stats().pendingInvalidations === 0);
    expect(store.inner.size).toBe(0);
  });

  it("closes its store once", async () => {
    const store = new MemoryStore();
    const { cache } = setup(store);
    await cache.close();
    await cache.close();
    await store.connect().delete("k"); // no listener left to call
    expect(cache.stats().remoteInvalidations).toBe(0);
  });
});
