import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/redis-store.js";
import { RedisStoreError } from "../src/redis-store-error.js";
import { freePort, startPrivateRedis, stopPrivateRedis, uniqueNamespace } from "./redis-helpers.js";

/** `password` (config's `cache.l2.password`) on a private redis-server with `requirepass`. */
let redis: ChildProcess;
let url: string;
beforeAll(async () => {
  const port = await freePort();
  redis = await startPrivateRedis(port, ["--requirepass", "s3cret-pass"]);
  url = `redis://127.0.0.1:${port}`;
});
afterAll(async () => stopPrivateRedis(redis));

describe("RedisStore password", () => {
  it("authenticates with `password` when the URL has none", async () => {
    const store = new RedisStore({ url, password: "s3cret-pass", namespace: uniqueNamespace() });
    try {
      await store.ready();
      await store.set("k", "v");
      expect(await store.get("k")).toBe("v");
    } finally {
      await store.close();
    }
  });

  it("fails with a RedisStoreError naming the operation when it cannot authenticate", async () => {
    const store = new RedisStore({ url, namespace: uniqueNamespace(), subscribe: false });
    try {
      const error = await store.get("k").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ code: "REDIS_STORE", operation: "get" });
    } finally {
      await store.close();
    }
  });
});
