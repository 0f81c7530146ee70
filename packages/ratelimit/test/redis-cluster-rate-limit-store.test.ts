import { type PrivateRedisCluster, startPrivateRedisCluster } from "@llm/cache-redis/testing";
import { Cluster } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { RedisRateLimitStore } from "../src/redis.js";
import { describeRateLimitStore } from "./describe-rate-limit-store.js";

/** The same contract on a real three-primary Redis Cluster: each budget's two keys share a hash tag. */
let cluster: PrivateRedisCluster;
beforeAll(async () => {
  cluster = await startPrivateRedisCluster(3);
}, 60_000);
afterAll(async () => cluster?.stop());

describeRateLimitStore("RedisRateLimitStore on Redis Cluster", async () => {
  const redis = new Cluster(cluster.nodes);
  const store = new RedisRateLimitStore(redis);
  // Budgets spread over the nodes; the keys are thrown away with the cluster.
  return {
    store,
    key: (suffix) => `cluster-${suffix}`,
    close: async () => void (await redis.quit()),
  };
});
