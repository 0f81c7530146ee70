import { type PrivateRedisSentinel, startPrivateRedisSentinel } from "@llm/cache-redis/testing";
import { reviveOnUnexpectedEnd, sentinelConnectionOptions } from "@llm/redis-connection";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimit } from "../src/rate-limit.js";
import { RateLimitBudgetError } from "../src/rate-limit-errors.js";
import { RedisRateLimitStore } from "../src/redis.js";
import { describeRateLimitStore } from "./describe-rate-limit-store.js";

/**
 * The same contract through Redis Sentinel (a private master, replica and three
 * sentinels), then shared budgets across a graceful failover and a master crash:
 * every call settles — granted, refused by the budget, or let through because
 * the store failed — and afterwards the budget is enforced on the new master.
 */
let deployment: PrivateRedisSentinel;
const connections: Redis[] = [];
let closing = false;

beforeAll(async () => {
  deployment = await startPrivateRedisSentinel();
}, 60_000);
afterAll(async () => {
  closing = true;
  for (const redis of connections) redis.disconnect();
  await deployment?.stop();
});

/** Connected the way @llm/di connects a Sentinel store: fail fast, follow failovers. */
async function connect(): Promise<Redis> {
  const redis = new Redis({
    ...sentinelConnectionOptions({ name: deployment.name, sentinels: deployment.sentinels }),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
  });
  redis.on("error", () => {});
  reviveOnUnexpectedEnd(redis, () => closing, 500);
  connections.push(redis);
  if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
  return redis;
}

describeRateLimitStore("RedisRateLimitStore through Redis Sentinel", async () => {
  const redis = await connect();
  return {
    store: new RedisRateLimitStore(redis),
    key: (suffix) => `sentinel-${suffix}`,
    close: async () => void redis.disconnect(),
  };
});

const HANG_BOUND_MS = 5_000;

/** "granted", "refused" (the budget said no) or "passed" (the store failed and the call went ahead). */
async function settle(limit: RateLimit, storeFailures: { count: number }): Promise<string> {
  const failuresBefore = storeFailures.count;
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("acquire() hung")), HANG_BOUND_MS);
  });
  try {
    await Promise.race([limit.acquire(1), hung]);
    return storeFailures.count > failuresBefore ? "passed" : "granted";
  } catch (error) {
    if (error instanceof RateLimitBudgetError) return "refused";
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

describe("shared budgets across a Sentinel failover", () => {
  for (const kind of ["failover", "killMaster"] as const) {
    it(`settles every acquire during ${kind}, then enforces the budget on the new master`, async () => {
      const storeFailures = { count: 0 };
      const [one, two] = [await connect(), await connect()];
      const busy = new RateLimit({
        key: `busy-${kind}`,
        requestsPerMinute: 1_000_000,
        maxWaitMs: 0,
        store: new RedisRateLimitStore(one),
        onStoreError: () => storeFailures.count++,
      });
      const before = await deployment.masterPort();
      let done = false;
      const switched = deployment[kind]().finally(() => {
        done = true;
      });
      const outcomes: string[] = [];
      while (!done) {
        outcomes.push(await settle(busy, storeFailures));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await switched).not.toBe(before);
      expect(outcomes.length).toBeGreaterThan(0);
      expect(outcomes.every((o) => ["granted", "refused", "passed"].includes(o))).toBe(true);
      if (kind === "killMaster") expect(outcomes).toContain("passed");

      // Afterwards two processes share one budget again, on the promoted master.
      const key = `after-${kind}-${Date.now()}`;
      const open = (redis: Redis) =>
        new RateLimit({
          key,
          requestsPerMinute: 3,
          maxWaitMs: 0,
          store: new RedisRateLimitStore(redis),
          onStoreError: () => storeFailures.count++,
        });
      const [a, b] = [open(one), open(two)];
      // Wait until both connections reach the new master (the store answers without failing).
      const probe = new RateLimit({
        key: `probe-${kind}`,
        requestsPerMinute: 1_000_000,
        store: new RedisRateLimitStore(one),
        onStoreError: () => storeFailures.count++,
      });
      const probeTwo = new RateLimit({
        key: `probe-${kind}`,
        requestsPerMinute: 1_000_000,
        store: new RedisRateLimitStore(two),
        onStoreError: () => storeFailures.count++,
      });
      for (let ready = false; !ready; ) {
        const failures = storeFailures.count;
        await probe.acquire();
        await probeTwo.acquire();
        ready = storeFailures.count === failures;
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await a.acquire();
      await b.acquire();
      await a.acquire();
      await expect(b.acquire()).rejects.toBeInstanceOf(RateLimitBudgetError);
    }, 120_000);
  }
});
