import type { ChildProcess } from "node:child_process";
import { waitUntil } from "@llm/cache/testing";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { RedisStore } from "../src/redis-store.js";
import { freePort, startPrivateRedis, stopPrivateRedis, uniqueNamespace } from "./redis-helpers.js";

let redis: ChildProcess | undefined;
const closing: Array<() => Promise<unknown> | void> = [];

afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
  if (redis) await stopPrivateRedis(redis);
  redis = undefined;
});

describe("the invalidation subscriber across reconnections (a private redis-server)", () => {
  it("reports a refused resubscribe through onError, never as an unhandled rejection, and resubscribes once allowed", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    closing.push(() => void process.off("unhandledRejection", onUnhandled));

    const port = await freePort();
    redis = await startPrivateRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const namespace = uniqueNamespace("resubscribe");
    const errors: unknown[] = [];
    const listener = new RedisStore({ url, namespace, onError: (e) => void errors.push(e) });
    closing.push(() => listener.close());
    const writer = new RedisStore({ url, namespace, subscribe: false });
    closing.push(() => writer.close());
    const admin = new Redis(url);
    closing.push(() => admin.disconnect());
    await Promise.all([listener.ready(), writer.ready()]);
    const heard: string[] = [];
    listener.subscribe((invalidation) => void heard.push(JSON.stringify(invalidation)));

    // Subscribing is now refused (NOPERM); the subscriber's connection is cut and comes back.
    await admin.call("ACL", "SETUSER", "default", "resetchannels");
    await admin.call("CLIENT", "KILL", "TYPE", "pubsub");
    await waitUntil(() => errors.some((e) => String(e).includes("NOPERM")), 10_000);
    expect(unhandled).toEqual([]);

    // Allowed again: the next reconnection subscribes, and invalidations arrive again. (The
    // refused subscriber is a plain connection now; the writer's, also cut, comes back by itself.)
    await admin.call("ACL", "SETUSER", "default", "allchannels");
    await admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    await waitUntil(async () => {
      await writer.delete("k").catch(() => false);
      return heard.length > 0;
    }, 10_000);
    expect(JSON.parse(heard[0] as string)).toMatchObject({ key: "k" });
    expect(unhandled).toEqual([]);
  });
});
