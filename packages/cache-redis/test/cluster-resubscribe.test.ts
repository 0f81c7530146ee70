import type { StoreInvalidation } from "@llm/cache";
import { waitUntil } from "@llm/cache/testing";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/redis-store.js";
import { type PrivateRedisCluster, startPrivateRedisCluster } from "../src/testing.js";
import { uniqueNamespace } from "./redis-helpers.js";

/**
 * The invalidation subscriber of a store on a Redis Cluster, across a lost
 * subscriber connection. Unlike a single Redis (`resubscribe.test.ts`), it is
 * ioredis's own ClusterSubscriber: its connection never reconnects
 * (`retryStrategy: null`, so ioredis's `autoResubscribe` of redis/ioredis#2187
 * never runs on it); on `end` it connects a new one to a node of the cluster and
 * subscribes it to the previous connection's channels, catching the reply's
 * rejection. These tests pin down that this leaves no unhandled rejection and
 * that invalidations arrive again.
 */
let cluster: PrivateRedisCluster;
let admins: Redis[] = [];
const closing: Array<() => Promise<unknown> | void> = [];

beforeAll(async () => {
  cluster = await startPrivateRedisCluster(3);
  admins = cluster.nodes.map((node) => new Redis(node.port, node.host));
}, 60_000);
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
  // A failed test must not leave the next one without channel permissions.
  await everyNode("ACL", "SETUSER", "default", "allchannels");
});
afterAll(async () => {
  for (const admin of admins) admin.disconnect();
  await cluster?.stop();
});

/** Runs one command on every node; their replies in node order. */
function everyNode(...command: [string, ...string[]]): Promise<unknown[]> {
  return Promise.all(admins.map((admin) => admin.call(...command)));
}

/** Connections of ioredis cluster subscribers whose last command was a refused SUBSCRIBE. */
async function refusedSubscribers(): Promise<number> {
  const lists = (await everyNode("CLIENT", "LIST", "TYPE", "normal")) as string[];
  return lists
    .flatMap((list) => list.split("\n"))
    .filter((line) => line.includes("(subscriber)") && line.includes(" cmd=subscribe ")).length;
}

async function openPair() {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  closing.push(() => void process.off("unhandledRejection", onUnhandled));
  const namespace = uniqueNamespace("cluster-resubscribe");
  const listener = new RedisStore({ cluster: cluster.nodes, namespace });
  closing.push(() => listener.close());
  const writer = new RedisStore({ cluster: cluster.nodes, namespace, subscribe: false });
  closing.push(() => writer.close());
  await Promise.all([listener.ready(), writer.ready()]);
  const heard: StoreInvalidation[] = [];
  listener.subscribe((invalidation) => void heard.push(invalidation));
  /** Deletes `key` until the listener hears it (the writer's own connections may be coming back). */
  const heardAfterDeleting = (key: string) =>
    waitUntil(async () => {
      await writer.delete(key).catch(() => false);
      return heard.some((invalidation) => invalidation.type === "key" && invalidation.key === key);
    }, 10_000);
  // Invalidations arrive before anything is cut (so a later key heard proves a resubscription).
  await heardAfterDeleting("before");
  return { unhandled, heard, heardAfterDeleting };
}

describe("the invalidation subscriber on a Redis Cluster across reconnections (a private cluster)", () => {
  it("replaces a killed subscriber connection and hears invalidations again", async () => {
    const { unhandled, heard, heardAfterDeleting } = await openPair();

    // The writer subscribes nothing: the listener's is the cluster's only pub/sub connection.
    const killed = (await everyNode("CLIENT", "KILL", "TYPE", "pubsub")) as number[];
    expect(killed.reduce((sum, n) => sum + n, 0)).toBe(1);

    await heardAfterDeleting("k");
    expect(heard).toContainEqual({ type: "key", key: "k" });
    expect(unhandled).toEqual([]);
  });

  it("leaves no unhandled rejection when the resubscription is refused, and hears invalidations once allowed and reconnected", async () => {
    const { unhandled, heard, heardAfterDeleting } = await openPair();

    // Subscribing is refused (NOPERM) on every node; Redis disconnects the subscribed
    // connection itself (and the KILL makes sure), so ioredis connects a new one whose
    // SUBSCRIBE is refused.
    await everyNode("ACL", "SETUSER", "default", "resetchannels");
    await everyNode("CLIENT", "KILL", "TYPE", "pubsub");
    await waitUntil(async () => (await refusedSubscribers()) === 1, 10_000);
    // ioredis catches that rejection (and reports it nowhere: not to `onError` either).
    expect(unhandled).toEqual([]);

    // Allowed again: the refused connection stays a plain, unsubscribed one until it is
    // cut; its replacement subscribes, and invalidations arrive again.
    await everyNode("ACL", "SETUSER", "default", "allchannels");
    await everyNode("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    await heardAfterDeleting("k");
    expect(heard).toContainEqual({ type: "key", key: "k" });
    expect(unhandled).toEqual([]);
  });
});
