import { describeCacheStore } from "@llm/cache/testing";
import { ConfigError } from "@llm/core";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { dropNamespace, SHARED_REDIS, uniqueNamespace } from "../test/redis-helpers.js";
import { namespaceKeyPrefix, RedisStore } from "./redis-store.js";
import { RedisStoreError } from "./redis-store-error.js";

const namespaces: string[] = [];

async function open(namespace = uniqueNamespace("store")): Promise<RedisStore> {
  namespaces.push(namespace);
  const store = new RedisStore({ url: SHARED_REDIS, namespace });
  await store.ready();
  return store;
}

afterAll(async () => {
  for (const ns of namespaces) await dropNamespace(ns);
});

describeCacheStore("RedisStore", {
  create: () => open(),
  connectPeer: (store) => open((store as RedisStore).namespace),
});

describe("RedisStore", () => {
  it("sets the ttl on the server", async () => {
    const store = await open();
    await store.set("k", "v", { ttlMs: 60_000, tags: ["t"] });
    const raw = new Redis(SHARED_REDIS);
    const entryTtl = await raw.pttl(store.entryKey("k"));
    const tagTtl = await raw.pttl(`${namespaceKeyPrefix(store.namespace)}t:t`);
    raw.disconnect();
    expect(entryTtl).toBeGreaterThan(50_000);
    expect(entryTtl).toBeLessThanOrEqual(60_000);
    expect(tagTtl).toBeGreaterThan(50_000);
    await store.close();
  });

  it("keeps a tag set as long as its longest-lived entry", async () => {
    const store = await open();
    await store.set("short", "v", { ttlMs: 10_000, tags: ["t"] });
    await store.set("long", "v", { ttlMs: 100_000, tags: ["t"] });
    await store.set("shorter", "v", { ttlMs: 5_000, tags: ["t"] });
    const raw = new Redis(SHARED_REDIS);
    expect(await raw.pttl(`${namespaceKeyPrefix(store.namespace)}t:t`)).toBeGreaterThan(90_000);
    await store.set("forever", "v", { tags: ["t"] });
    expect(await raw.pttl(`${namespaceKeyPrefix(store.namespace)}t:t`)).toBe(-1);
    raw.disconnect();
    expect(await store.deleteByTag("t")).toBe(4);
    await store.close();
  });

  it("keeps every key under its namespace", async () => {
    const store = await open();
    await store.set("k", "v", { tags: ["t"] });
    const raw = new Redis(SHARED_REDIS);
    // Every SCAN page: one page holds only a share of a shared Redis's keys.
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, page] = await raw.scan(
        cursor,
        "MATCH",
        `${namespaceKeyPrefix(store.namespace)}*`,
        "COUNT",
        1000,
      );
      keys.push(...page);
      cursor = next;
    } while (cursor !== "0");
    raw.disconnect();
    expect(keys.sort()).toEqual([
      `{${store.namespace}}:e:k`,
      `{${store.namespace}}:m:k`,
      `{${store.namespace}}:t:t`,
    ]);
    await store.clear();
    await store.close();
  });

  it("deletes by prefix across many SCAN pages", async () => {
    const store = await open();
    await store.setMany(
      Array.from({ length: 1_200 }, (_, i) => ({ key: `p:${i}`, value: "v", ttlMs: 60_000 })),
    );
    await store.set("q:1", "v");
    expect(await store.deleteByPrefix("p:")).toBe(1_200);
    expect(await store.get("q:1")).toBe("v");
    await store.close();
  });

  it("writes nothing for an empty batch", async () => {
    const store = await open();
    await store.setMany([]);
    expect(await store.getMany([])).toEqual([]);
    await store.close();
  });

  it("uses a client it was given and leaves it open on close", async () => {
    const client = new Redis(SHARED_REDIS);
    const namespace = uniqueNamespace("own");
    namespaces.push(namespace);
    const store = new RedisStore({ client, namespace, subscribe: false });
    await store.ready();
    await store.set("k", "v");
    await store.close();
    expect(await client.get(store.entryKey("k"))).toBe("v");
    await client.quit();
  });

  it("ignores its own invalidations and malformed messages, reporting the latter", async () => {
    const errors: unknown[] = [];
    const namespace = uniqueNamespace("msg");
    namespaces.push(namespace);
    const store = new RedisStore({ url: SHARED_REDIS, namespace, onError: (e) => errors.push(e) });
    await store.ready();
    const seen: unknown[] = [];
    store.subscribe((inv) => seen.push(inv));
    const raw = new Redis(SHARED_REDIS);
    await raw.publish(`${namespace}:invalidate`, "not json");
    await raw.publish(
      `${namespace}:invalidate`,
      JSON.stringify({ o: "other", type: "key", key: "k" }),
    );
    await store.delete("mine");
    await new Promise((resolve) => setTimeout(resolve, 50));
    raw.disconnect();
    expect(seen).toEqual([{ type: "key", key: "k" }]);
    expect(String(errors[0])).toContain("malformed");
    await store.close();
  });

  it("reads an entry over maxEntryBytes as a miss, reporting it, without receiving it", async () => {
    const namespace = uniqueNamespace("store-bound");
    namespaces.push(namespace);
    const errors: unknown[] = [];
    const store = new RedisStore({
      url: SHARED_REDIS,
      namespace,
      maxEntryBytes: 1024,
      onError: (error) => errors.push(error),
    });
    await store.ready();
    await store.set("fits", "x".repeat(1024));
    // Written behind the store's back, as anything with access to Redis could.
    const raw = new Redis(SHARED_REDIS);
    await raw.set(store.entryKey("huge"), "y".repeat(1025));
    raw.disconnect();
    expect(await store.get("huge")).toBeUndefined();
    expect(await store.getMany(["fits", "huge", "absent"])).toEqual([
      "x".repeat(1024),
      undefined,
      undefined,
    ]);
    expect(await store.get("fits")).toBe("x".repeat(1024));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(RedisStoreError);
    expect(errors[0]).toMatchObject({ operation: "get", retryable: false });
    expect(String(errors[0])).toContain("huge is 1025 bytes, more than maxEntryBytes 1024");
    expect(String(errors[0])).not.toContain("yyyy");
    await store.close();
  });

  it("refuses a maxEntryBytes that is not a positive integer", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(
        () => new RedisStore({ url: SHARED_REDIS, namespace: "ok", maxEntryBytes: bad }),
      ).toThrow(ConfigError);
    }
  });

  it("fails fast, without queueing, when Redis is unreachable", async () => {
    const errors: unknown[] = [];
    const store = new RedisStore({
      url: "redis://127.0.0.1:1",
      namespace: uniqueNamespace("down"),
      subscribe: false,
      onError: (e) => errors.push(e),
    });
    await expect(store.get("k")).rejects.toThrow();
    await expect(store.setMany([{ key: "k", value: "v" }])).rejects.toThrow();
    await store.close();
  });

  it("refuses a missing or glob-like namespace and a missing connection", () => {
    expect(() => new RedisStore({ url: SHARED_REDIS, namespace: "" })).toThrow(ConfigError);
    expect(() => new RedisStore({ url: SHARED_REDIS, namespace: "a*b" })).toThrow(/namespace/);
    expect(() => new RedisStore({ namespace: "ok" })).toThrow(/url/);
  });
});
