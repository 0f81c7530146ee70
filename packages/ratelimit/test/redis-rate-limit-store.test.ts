import { randomUUID } from "node:crypto";
import { freePort, startPrivateRedis, stopPrivateRedis } from "@llm/cache-redis/testing";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { RedisRateLimitStore } from "../src/redis.js";
import { GCRA_SCRIPT_SHA } from "../src/redis-script.js";
import { describeRateLimitStore } from "./describe-rate-limit-store.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Deletes every key a test wrote, so the shared Redis is left as it was found. */
async function clear(redis: Redis, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

describeRateLimitStore("RedisRateLimitStore", async () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `llm-test-rl-${randomUUID()}`;
  const store = new RedisRateLimitStore(redis, { prefix });
  return {
    store,
    key: (suffix) => suffix,
    close: async () => {
      await clear(redis, `{${prefix}:*`);
      await redis.quit();
    },
  };
});

describe("RedisRateLimitStore", () => {
  it("keeps a budget's two keys under one hash tag (one Cluster slot)", () => {
    const store = new RedisRateLimitStore(new Redis({ lazyConnect: true }), { prefix: "p" });
    expect(store.keysOf("client:a")).toEqual(["{p:client:a}:r", "{p:client:a}:t"]);
  });

  it("loads its script when Redis does not know it (NOSCRIPT), and expires idle budgets", async () => {
    // A private server: a fresh one has no scripts, and flushing the shared one's would disturb other suites.
    const port = await freePort();
    const server = await startPrivateRedis(port);
    const redis = new Redis({ port, host: "127.0.0.1" });
    try {
      const store = new RedisRateLimitStore(redis);
      const take = {
        kind: "take",
        maxWaitMs: 0,
        dims: [{ rate: { limit: 10, periodMs: 200 }, units: 1 }],
      } as const;
      expect((await store.apply("k", take)).granted).toBe(true);
      const [requestsKey] = store.keysOf("k");
      const ttl = await redis.pttl(requestsKey);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(20);
      expect(await redis.script("EXISTS", GCRA_SCRIPT_SHA)).toEqual([1]);
    } finally {
      redis.disconnect();
      await stopPrivateRedis(server);
    }
  });

  it("passes errors other than NOSCRIPT to the caller", async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const store = new RedisRateLimitStore(redis);
      // A key of another type makes GET fail inside the script.
      const [requestsKey] = store.keysOf(`wrongtype-${randomUUID()}`);
      await redis.lpush(requestsKey, "x");
      const key = requestsKey.slice(1 + "llm:rl:".length, -"}:r".length);
      await expect(
        store.apply(key, {
          kind: "take",
          maxWaitMs: 0,
          dims: [{ rate: { limit: 1, periodMs: 1 }, units: 1 }],
        }),
      ).rejects.toThrow(/WRONGTYPE/);
      await redis.del(requestsKey);
    } finally {
      await redis.quit();
    }
  });
});
