import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { CacheStore } from "@llm/cache";
import type { LLMConfig } from "@llm/config";
import { ConfigError, settleWithin } from "@llm/core";
import { type CacheStoreFactory, resolvePluginModule } from "@llm/plugins";
import type { RedisSentinelOptions, RedisTLSOptions } from "@llm/redis-connection";
import { revealSentinel, revealTLS, underConfigPath } from "./reveal-sentinel.js";

export interface CacheStoreContext {
  baseDir: string;
  conditions: readonly string[];
  /** Store types contributed by plugins. */
  pluginStores: ReadonlyMap<string, CacheStoreFactory>;
  /** The store's connection went down or came back (once per transition; Redis reports it). */
  onStoreState?: (change: { state: "up" | "down"; error?: Error }) => void;
}

type L2Config = Readonly<LLMConfig["cache"]["l2"]>;

/**
 * Creates the L2 store the config asks for. Store packages are imported on
 * demand, so an app that never configures Redis never loads ioredis.
 */
export async function createCacheStore(
  l2: L2Config,
  context: CacheStoreContext,
): Promise<CacheStore | undefined> {
  switch (l2.type) {
    case "none":
      return undefined;
    case "sqlite": {
      const { SqliteStore } = await importStorePackage<{
        SqliteStore: new (options: { path: string; maxBytes?: number }) => CacheStore;
      }>("@llm/cache-sqlite", context);
      const path = isAbsolute(l2.path) ? l2.path : resolve(context.baseDir, l2.path);
      return new SqliteStore({
        path,
        ...(l2.maxBytes === undefined ? {} : { maxBytes: l2.maxBytes }),
      });
    }
    case "redis": {
      const { RedisStore } = await importStorePackage<{
        RedisStore: new (options: {
          url?: string;
          cluster?: string[];
          sentinel?: RedisSentinelOptions;
          namespace: string;
          password?: string;
          tls?: RedisTLSOptions;
          onStateChange?: (change: { state: "up" | "down"; error?: Error }) => void;
        }) => CacheStore & {
          ready(): Promise<void>;
        };
      }>("@llm/cache-redis", context);
      // Certificate files are read here: a bad one is a ConfigError naming `cache.l2.tls.…`.
      const store = underConfigPath(
        "cache.l2",
        () =>
          new RedisStore({
            ...(l2.url === undefined ? {} : { url: l2.url.reveal() }),
            ...(l2.cluster === undefined
              ? {}
              : { cluster: l2.cluster.map((node) => node.reveal()) }),
            ...(l2.sentinel === undefined
              ? {}
              : {
                  sentinel: revealSentinel(l2.sentinel, context.baseDir),
                }),
            namespace: l2.namespace,
            ...(l2.password === undefined ? {} : { password: l2.password.reveal() }),
            ...(l2.tls === undefined ? {} : { tls: revealTLS(l2.tls, context.baseDir) }),
            ...(context.onStoreState ? { onStateChange: context.onStoreState } : {}),
          }),
      );
      await readyWithin(store, REDIS_READY_TIMEOUT_MS);
      return store;
    }
    default: {
      const other = l2 as { type: string };
      const factory = context.pluginStores.get(other.type);
      if (!factory) {
        throw new ConfigError(`Unknown cache store type "${other.type}"`, {
          issues: [{ path: "cache.l2.type", message: "no package or plugin provides this store" }],
        });
      }
      return (await factory(other as Record<string, unknown>)) as CacheStore;
    }
  }
}

/**
 * How long start-up waits for Redis. The store fails fast while it is not
 * connected (no offline queue), so without this wait the first requests
 * would miss L2; with Redis down, start-up goes on after this and the
 * tiered cache serves from L1 until the store reconnects.
 */
export const REDIS_READY_TIMEOUT_MS = 2_000;

export async function readyWithin(
  store: { ready?: () => Promise<void> },
  ms: number,
): Promise<void> {
  if (!store.ready) return;
  // Goes on either way: a store that is not ready (or refused) is used once it connects.
  await settleWithin(
    store.ready().catch(() => undefined),
    { timeoutMs: ms, onTimeout: () => undefined, unref: true },
  );
}

export async function importStorePackage<T>(
  name: string,
  context: Pick<CacheStoreContext, "baseDir" | "conditions">,
): Promise<T> {
  let file: string;
  try {
    file = resolvePluginModule(name, {
      baseDir: context.baseDir,
      conditions: context.conditions,
    });
  } catch (cause) {
    throw new ConfigError(`The configured cache store needs ${name}: run \`pnpm add ${name}\``, {
      cause,
      issues: [{ path: "cache.l2.type", message: `${name} is not installed` }],
    });
  }
  return (await import(pathToFileURL(file).href)) as T;
}
