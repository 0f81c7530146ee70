import type { ChildProcess } from "node:child_process";
import { waitUntil } from "@llm/cache/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { StoreStateChange } from "../src/index.js";
import { RedisStore } from "../src/redis-store.js";
import { freePort, startPrivateRedis, stopPrivateRedis, uniqueNamespace } from "./redis-helpers.js";

let redis: ChildProcess | undefined;
let store: RedisStore | undefined;

afterEach(async () => {
  await store?.close();
  if (redis) await stopPrivateRedis(redis);
  redis = undefined;
});

describe("RedisStore connection state (a private redis-server)", () => {
  it("reports down once and up once across a kill and a restart, and serves again within seconds", async () => {
    const port = await freePort();
    redis = await startPrivateRedis(port);
    const changes: StoreStateChange[] = [];
    store = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      namespace: uniqueNamespace("state"),
      reconnectMaxDelayMs: 100,
      onStateChange: (change) => changes.push(change),
    });
    await store.ready();
    expect(store.state).toBe("up");
    expect(changes).toEqual([]);

    await stopPrivateRedis(redis);
    await waitUntil(() => store?.state === "down", 5_000);
    // Many reconnection attempts fail while it is down; none is reported again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(changes.map((c) => c.state)).toEqual(["down"]);
    expect(changes[0]?.error).toBeInstanceOf(Error);

    redis = await startPrivateRedis(port);
    await waitUntil(() => store?.state === "up", 5_000);
    expect(changes.map((c) => c.state)).toEqual(["down", "up"]);
    await store.set("k", "v");
    expect(await store.get("k")).toBe("v");
  });

  it("reports a Redis that is down from the start once", async () => {
    const port = await freePort();
    const changes: StoreStateChange[] = [];
    store = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      namespace: uniqueNamespace("never"),
      subscribe: false,
      reconnectMaxDelayMs: 50,
      onStateChange: (change) => changes.push(change),
    });
    await waitUntil(() => store?.state === "down", 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(changes.map((c) => c.state)).toEqual(["down"]);
  });

  it("reports nothing when the store is closed on purpose", async () => {
    const port = await freePort();
    redis = await startPrivateRedis(port);
    const changes: StoreStateChange[] = [];
    store = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      namespace: uniqueNamespace("quit"),
      onStateChange: (change) => changes.push(change),
    });
    await store.ready();
    await store.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(changes).toEqual([]);
  });
});
