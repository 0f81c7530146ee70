import { Redis } from "ioredis";
import { namespaceKeyPrefix } from "../src/redis-store.js";

export const SHARED_REDIS = "redis://127.0.0.1:6379";

let counter = 0;
/** A namespace no other test run uses. */
export const uniqueNamespace = (label = "t") =>
  `llmkit-test-${label}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

/** Deletes every key of a namespace on the shared Redis (SCAN, never KEYS). */
export async function dropNamespace(namespace: string): Promise<void> {
  const redis = new Redis(SHARED_REDIS);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(
        cursor,
        "MATCH",
        `${namespaceKeyPrefix(namespace)}*`,
        "COUNT",
        500,
      );
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export { freePort, startPrivateRedis, stopPrivateRedis } from "../src/testing.js";
