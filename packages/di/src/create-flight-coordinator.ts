import type { FlightCoordinator } from "@llm/cache";
import type { LLMConfig } from "@llm/config";
import type { RedisSentinelOptions, RedisTLSOptions } from "@llm/redis-connection";
import {
  type CacheStoreContext,
  importStorePackage,
  REDIS_READY_TIMEOUT_MS,
  readyWithin,
} from "./create-cache-store.js";
import { revealSentinel, revealTLS, underConfigPath } from "./reveal-sentinel.js";

type CacheConfig = Readonly<LLMConfig["cache"]>;

interface RedisFlightCoordinatorModule {
  RedisFlightCoordinator: new (options: {
    url?: string;
    cluster?: string[];
    sentinel?: RedisSentinelOptions;
    tls?: RedisTLSOptions;
    namespace: string;
    leaseMs: number;
    maxWaitMs: number;
    maxEvents: number;
    maxEventBytes: number;
    redisOptions?: { password: string };
  }) => FlightCoordinator & { ready(): Promise<void> };
}

/**
 * The cross-process single-flight of `cache.l2.coalesce`: a
 * `RedisFlightCoordinator` on the Redis that holds the L2, under the same
 * namespace (so lease, log and entry share a Cluster slot). `undefined` when
 * the cache is off, the L2 is not Redis, or coalescing is turned off. It
 * connects in the background: until it does, claims fail fast and each
 * process simply makes its own calls.
 */
export async function createFlightCoordinator(
  cache: CacheConfig,
  context: Pick<CacheStoreContext, "baseDir" | "conditions">,
): Promise<FlightCoordinator | undefined> {
  const { l2 } = cache;
  if (!cache.enabled || l2.type !== "redis" || !l2.coalesce.enabled) return undefined;
  const { RedisFlightCoordinator } = await importStorePackage<RedisFlightCoordinatorModule>(
    "@llm/cache-redis",
    context,
  );
  const { leaseMs, maxWaitMs, maxEvents, maxEventBytes } = l2.coalesce;
  const coordinator = underConfigPath(
    "cache.l2",
    () =>
      new RedisFlightCoordinator({
        ...(l2.url === undefined ? {} : { url: l2.url.reveal() }),
        ...(l2.cluster === undefined ? {} : { cluster: l2.cluster.map((node) => node.reveal()) }),
        ...(l2.sentinel === undefined
          ? {}
          : {
              sentinel: revealSentinel(l2.sentinel, context.baseDir),
            }),
        namespace: l2.namespace,
        leaseMs,
        maxWaitMs,
        maxEvents,
        maxEventBytes,
        ...(l2.tls === undefined ? {} : { tls: revealTLS(l2.tls, context.baseDir) }),
        ...(l2.password === undefined ? {} : { redisOptions: { password: l2.password.reveal() } }),
      }),
  );
  // As for the store: a start-up burst should already coalesce; a Redis that
  // is down only means every process calls for itself until it is back.
  await readyWithin(coordinator, REDIS_READY_TIMEOUT_MS);
  return coordinator;
}
