import { describeCacheStore } from "@llm/cache/testing";
import { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisFlightCoordinator } from "../src/redis-flight-coordinator.js";
import { RedisStore } from "../src/redis-store.js";
import { type PrivateRedisCluster, startPrivateRedisCluster } from "../src/testing.js";
import { uniqueNamespace } from "./redis-helpers.js";

/**
 * RedisStore on a real three-primary Redis Cluster started for this file: every
 * operation of the store contract, tags and invalidation included, with the
 * namespace's keys in one slot (its hash tag) and several namespaces spread
 * over the nodes.
 */
let cluster: PrivateRedisCluster;
const stores: RedisStore[] = [];

beforeAll(async () => {
  cluster = await startPrivateRedisCluster(3);
}, 60_000);
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await cluster?.stop();
});

async function open(namespace = uniqueNamespace("cluster")): Promise<RedisStore> {
  const store = new RedisStore({ cluster: cluster.nodes, namespace });
  stores.push(store);
  await store.ready();
  return store;
}

describeCacheStore("RedisStore on Redis Cluster", {
  create: () => open(),
  connectPeer: (store) => open((store as RedisStore).namespace),
});

describe("RedisStore on Redis Cluster", () => {
  it("keeps a namespace in one slot and spreads namespaces over the nodes", async () => {
    const admin = new Cluster(cluster.nodes);
    try {
      const slotOf = async (key: string) => Number(await admin.call("CLUSTER", "KEYSLOT", key));
      const store = await open();
      await store.set("a", "1", { tags: ["t"] });
      await store.set("b", "2", { tags: ["t"] });
      const slots = new Set(
        await Promise.all(
          [
            store.entryKey("a"),
            store.entryKey("b"),
            // A client's own cache namespace is inside the entry key: same slot.
            store.entryKey("tenant-a:0f3c9e"),
            `{${store.namespace}}:t:t`,
            `{${store.namespace}}:m:a`,
          ].map(slotOf),
        ),
      );
      expect(slots.size).toBe(1);
      const spread = new Set(
        await Promise.all(Array.from({ length: 24 }, (_, i) => slotOf(`{tenant-${i}}:e:k`))),
      );
      expect(spread.size).toBeGreaterThan(1);
      expect(await store.deleteByTag("t")).toBe(2);
      expect(await store.getMany(["a", "b"])).toEqual([undefined, undefined]);
    } finally {
      admin.disconnect();
    }
  });

  it("connects from startup-node URLs, as config gives them", async () => {
    const urls = cluster.nodes.map((node) => `redis://${node.host}:${node.port}`);
    const store = new RedisStore({
      cluster: urls,
      namespace: uniqueNamespace("urls"),
      subscribe: false,
    });
    stores.push(store);
    await store.ready();
    await store.set("k", "v");
    expect(await store.get("k")).toBe("v");
  });

  it("takes a caller's own Cluster connection and leaves it open", async () => {
    const client = new Cluster(cluster.nodes);
    const store = new RedisStore({
      client,
      namespace: uniqueNamespace("own-cluster"),
      subscribe: false,
    });
    await store.ready();
    await store.set("k", "v");
    await store.close();
    expect(await client.get(store.entryKey("k"))).toBe("v");
    await client.quit();
  });
});

describe("RedisFlightCoordinator on Redis Cluster", () => {
  it("leads, relays and ends a flight with its lease and log in the namespace's slot", async () => {
    const namespace = uniqueNamespace("cluster-flight");
    const leader = new RedisFlightCoordinator({ cluster: cluster.nodes, namespace, blockMs: 50 });
    const admin = new Cluster(cluster.nodes);
    const follower = new RedisFlightCoordinator({ client: admin, namespace, blockMs: 50 });
    try {
      await leader.ready();
      const claim = await leader.claim("k");
      if (claim.role !== "leader") throw new Error("expected to lead");
      const joined = await follower.claim("k");
      if (joined.role !== "follower") throw new Error("expected to follow");
      const steps = (async () => {
        const out: string[] = [];
        for await (const step of joined.follower.watch()) out.push(step.type);
        return out;
      })();
      claim.lease.publish({ type: "text-delta", delta: "hi" });
      await claim.lease.complete(true);
      expect(await steps).toEqual(["event", "done"]);
      const { lease, log } = leader.keysOf("k");
      expect(await admin.cluster("KEYSLOT", lease)).toBe(await admin.cluster("KEYSLOT", log));
      await admin.del(log);
    } finally {
      await leader.close();
      await follower.close();
      admin.disconnect();
    }
  });
});
