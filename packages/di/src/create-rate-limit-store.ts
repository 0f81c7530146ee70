import { pathToFileURL } from "node:url";
import type { LLMConfig } from "@llm/config";
import { ConfigError } from "@llm/core";
import { resolvePluginModule } from "@llm/plugins";
import { MemoryRateLimitStore, type RateLimitStore } from "@llm/ratelimit";
import { RedisRateLimitStore } from "@llm/ratelimit/redis";
import {
  reviveOnUnexpectedEnd,
  sentinelConnectionOptions,
  tlsConnectionOptions,
} from "@llm/redis-connection";
import { revealSentinel, revealTLS, underConfigPath } from "./reveal-sentinel.js";

export interface RateLimitStoreHandle {
  store: RateLimitStore;
  close(): Promise<void>;
}

interface RedisClient {
  readonly status: string;
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  once(event: "ready", listener: () => void): unknown;
}

/** Pause before a Sentinel connection that ioredis gave up on connects again. */
const REVIVE_DELAY_MS = 1_000;

/** A budget check with no reply by then counts as a store failure (the call goes ahead). */
const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/** How long start-up waits for Redis; after it, calls go ahead unlimited until Redis answers. */
const REDIS_READY_TIMEOUT_MS = 2_000;

/**
 * The store every client's budget lives in: in process, or in Redis (shared
 * by every process on it). `ioredis` is imported from the app on demand, so
 * an app that never configures a Redis store never loads it.
 */
export async function createRateLimitStore(
  config: Readonly<LLMConfig["rateLimits"]>,
  context: { baseDir: string; conditions: readonly string[] },
): Promise<RateLimitStoreHandle> {
  const store = config.store;
  if (store.type === "memory") return { store: new MemoryRateLimitStore(), close: async () => {} };
  let file: string;
  try {
    file = resolvePluginModule("ioredis", {
      baseDir: context.baseDir,
      conditions: context.conditions,
    });
  } catch (cause) {
    throw new ConfigError("A Redis rate-limit store needs ioredis: run `pnpm add ioredis`", {
      cause,
      issues: [{ path: "rateLimits.store.type", message: "ioredis is not installed" }],
    });
  }
  const { Redis } = (await import(pathToFileURL(file).href)) as {
    Redis: new (
      ...args: [url: string, options: Record<string, unknown>] | [options: Record<string, unknown>]
    ) => RedisClient;
  };
  const options = {
    // Fail fast while disconnected: a budget that cannot be read lets calls through (see RateLimit).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // …and never hang: a master that vanished mid-failover without closing the socket fails the call here.
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    ...(store.password === undefined ? {} : { password: store.password.reveal() }),
  };
  // The schema allows exactly one of url / sentinel. Certificate files are read here.
  const tls = store.tls === undefined ? undefined : revealTLS(store.tls, context.baseDir);
  const redis = underConfigPath("rateLimits.store", () =>
    store.sentinel
      ? new Redis({
          ...options,
          ...sentinelConnectionOptions(revealSentinel(store.sentinel, context.baseDir), tls),
        })
      : new Redis((store.url as NonNullable<typeof store.url>).reveal(), {
          ...options,
          ...(tls === undefined ? {} : { tls: tlsConnectionOptions(tls) }),
        }),
  );
  // Failed commands reach RateLimit's onStoreError; the connection's own errors would otherwise be "unhandled".
  redis.on("error", () => {});
  let closed = false;
  if (store.sentinel) reviveOnUnexpectedEnd(redis, () => closed, REVIVE_DELAY_MS);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, REDIS_READY_TIMEOUT_MS);
    timer.unref();
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    store: new RedisRateLimitStore(redis as never, { prefix: store.prefix }),
    close: async () => {
      closed = true;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
