import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CacheStore, StoreInvalidation } from "./cache-store.js";
import { readPathConformance } from "./read-path-conformance.js";

export interface StoreConformanceOptions {
  /** A fresh, EMPTY store (unique namespace / file per call). */
  create(): CacheStore | Promise<CacheStore>;
  /**
   * A second instance on the same data, as another process would open it.
   * Enables the cross-process invalidation tests for stores with `subscribe`.
   */
  connectPeer?(store: CacheStore): CacheStore | Promise<CacheStore>;
  /** Called after each test, after `close()` (remove files, namespaces). */
  cleanup?(store: CacheStore): void | Promise<void>;
}

/** Polls `probe` until it returns true; never a timing assertion, just a deadline. */
export async function waitUntil(
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The shared test suite every `CacheStore` driver runs (after unstorage's
 * driver tests): `describeCacheStore("sqlite", { create: () => new SqliteStore(...) })`.
 * Optional capabilities are tested when the store has them.
 */
export function describeCacheStore(name: string, options: StoreConformanceOptions): void {
  describe(`CacheStore conformance: ${name}`, () => {
    let store: CacheStore;
    const opened: CacheStore[] = [];

    beforeEach(async () => {
      store = await options.create();
      opened.push(store);
    });

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await options.cleanup?.(store);
    });

    const peer = async () => {
      const other = await options.connectPeer!(store);
      opened.push(other);
      return other;
    };

    it("returns undefined for a key it never stored", async () => {
      expect(await store.get("absent")).toBeUndefined();
    });

    it("reads back exactly the string it stored, unicode and all", async () => {
      const value = JSON.stringify({ text: "héllo — 世界 🎉", n: 1, nested: { a: [1, 2] } });
      await store.set("k:unicode", value);
      expect(await store.get("k:unicode")).toBe(value);
    });

    it("stores a 256 KB value intact", async () => {
      const value = "x".repeat(256 * 1024);
      await store.set("k:big", value);
      expect(await store.get("k:big")).toBe(value);
    });

    it("overwrites a key with the newer value", async () => {
      await store.set("k", "one");
      await store.set("k", "two");
      expect(await store.get("k")).toBe("two");
    });

    it("deletes a key and says whether it existed", async () => {
      await store.set("k", "v");
      expect(await store.delete("k")).toBe(true);
      expect(await store.get("k")).toBeUndefined();
      expect(await store.delete("k")).toBe(false);
    });

    it("clears every key", async () => {
      await store.set("a", "1");
      await store.set("b", "2", { tags: ["t"] });
      await store.clear();
      expect(await store.get("a")).toBeUndefined();
      expect(await store.get("b")).toBeUndefined();
    });

    it("expires a key after its ttl and keeps one with a long ttl", async () => {
      await store.set("short", "v", { ttlMs: 40 });
      await store.set("long", "v", { ttlMs: 60_000 });
      await waitUntil(async () => (await store.get("short")) === undefined);
      expect(await store.get("long")).toBe("v");
    });

    it("keeps a key without ttl", async () => {
      await store.set("forever", "v");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store.get("forever")).toBe("v");
    });

    it("reads many keys in order, with a hole for each missing one", async (ctx) => {
      if (!store.getMany) return ctx.skip();
      await store.set("m1", "a");
      await store.set("m3", "c");
      expect(await store.getMany(["m1", "m2", "m3"])).toEqual(["a", undefined, "c"]);
      expect(await store.getMany([])).toEqual([]);
    });

    it("writes many entries at once, each with its own ttl and tags", async (ctx) => {
      if (!store.setMany) return ctx.skip();
      await store.setMany([
        { key: "s1", value: "a", ttlMs: 60_000, tags: ["batch"] },
        { key: "s2", value: "b" },
      ]);
      expect(await store.get("s1")).toBe("a");
      expect(await store.get("s2")).toBe("b");
      if (store.deleteByTag) {
        expect(await store.deleteByTag("batch")).toBe(1);
        expect(await store.get("s1")).toBeUndefined();
      }
    });

    it("deletes by prefix only the keys that start with it", async (ctx) => {
      if (!store.deleteByPrefix) return ctx.skip();
      await store.set("tenant-a:1", "v");
      await store.set("tenant-a:2", "v");
      await store.set("tenant-b:1", "v");
      await store.set("tenant-a*literal", "v");
      expect(await store.deleteByPrefix("tenant-a:")).toBe(2);
      expect(await store.get("tenant-a:1")).toBeUndefined();
      expect(await store.get("tenant-b:1")).toBe("v");
      expect(await store.get("tenant-a*literal")).toBe("v");
    });

    it("treats glob and LIKE characters in a prefix literally", async (ctx) => {
      if (!store.deleteByPrefix) return ctx.skip();
      await store.set("a*b%_[x]:1", "v");
      await store.set("a-b-x:1", "v");
      expect(await store.deleteByPrefix("a*b%_[x]:")).toBe(1);
      expect(await store.get("a-b-x:1")).toBe("v");
    });

    it("deletes by tag only the keys set with that tag", async (ctx) => {
      if (!store.deleteByTag) return ctx.skip();
      await store.set("t1", "v", { tags: ["red", "big"] });
      await store.set("t2", "v", { tags: ["red"] });
      await store.set("t3", "v", { tags: ["blue"] });
      expect(await store.deleteByTag("red")).toBe(2);
      expect(await store.get("t1")).toBeUndefined();
      expect(await store.get("t3")).toBe("v");
      expect(await store.deleteByTag("red")).toBe(0);
    });

    it("forgets a key's old tags when it is overwritten without them", async (ctx) => {
      if (!store.deleteByTag) return ctx.skip();
      await store.set("k", "v1", { tags: ["old"] });
      await store.set("k", "v2");
      expect(await store.deleteByTag("old")).toBe(0);
      expect(await store.get("k")).toBe("v2");
    });

    it("tells a peer about every kind of invalidation, but not itself", async (ctx) => {
      if (!store.subscribe || !options.connectPeer) return ctx.skip();
      const other = await peer();
      const seenByPeer: StoreInvalidation[] = [];
      const seenBySelf: StoreInvalidation[] = [];
      other.subscribe!((inv) => seenByPeer.push(inv));
      const unsubscribe = store.subscribe((inv) => seenBySelf.push(inv));
      await waitForSubscription(store, seenByPeer);

      await store.set("k", "v", { tags: ["t"] });
      await store.delete("k");
      if (store.deleteByPrefix) await store.deleteByPrefix("p:");
      if (store.deleteByTag) await store.deleteByTag("t");
      await store.clear();

      const expected: StoreInvalidation[] = [{ type: "key", key: "k" }];
      if (store.deleteByPrefix) expected.push({ type: "prefix", prefix: "p:" });
      if (store.deleteByTag) expected.push({ type: "tag", tag: "t" });
      expected.push({ type: "clear" });
      const real = () => seenByPeer.filter((inv) => !(inv.type === "key" && inv.key === PROBE));
      await waitUntil(() => real().length >= expected.length);
      expect(real()).toEqual(expected);
      expect(seenBySelf).toEqual([]);
      unsubscribe();
    });

    it("sees a peer's writes", async (ctx) => {
      if (!options.connectPeer) return ctx.skip();
      const other = await peer();
      await store.set("shared", "from-a");
      expect(await other.get("shared")).toBe("from-a");
    });

    it("closes more than once without error", async () => {
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });

    describe("the cache read path over it", () => {
      readPathConformance(() => store);
    });
  });
}

const PROBE = "__probe__";

/**
 * Pub/sub subscriptions may become active asynchronously: probe with
 * invalidations of a throwaway key until the peer hears one.
 */
async function waitForSubscription(store: CacheStore, seen: StoreInvalidation[]): Promise<void> {
  await waitUntil(async () => {
    await store.delete(PROBE);
    return seen.length > 0;
  });
}
