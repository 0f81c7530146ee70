import {
  type CachedAnswer,
  type CachedEmbedding,
  type CacheStore,
  type CorruptEntryEvent,
  cachedAnswerProblem,
  cachedEmbeddingProblem,
  cacheMiddleware,
  compressedJsonCodec,
  embeddingCodec,
  type FlightCoordinator,
  SmartCache,
  TieredCache,
} from "@llm/cache";
import type { Hooks } from "@llm/hooks";
import { ContainerModule } from "inversify";
import { TOKENS } from "../tokens.js";

/**
 * `store` and `coordinator` are created beforehand (their package is
 * imported, or a plugin made the store).
 */
export function cacheModule(
  store: CacheStore | undefined,
  coordinator?: FlightCoordinator,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.CacheStore)
      .toConstantValue(store)
      .onDeactivation(async (s) => {
        await s?.close?.();
      });
    bind(TOKENS.FlightCoordinator)
      .toConstantValue(coordinator)
      .onDeactivation(async (c) => {
        await c?.close?.();
      });
    bind(TOKENS.CacheL1)
      .toDynamicValue((ctx) => {
        const { l1 } = ctx.get(TOKENS.Config).cache;
        return new SmartCache<CachedAnswer>({
          maxEntries: l1.maxEntries,
          maxBytes: l1.maxBytes,
          ttlMs: l1.ttlMs,
          policy: l1.policy,
          ...(l1.compress ? { codec: compressedJsonCodec<CachedAnswer>() } : {}),
          memory: ctx.get(TOKENS.MemoryManager),
          name: "llm-cache-l1",
        });
      })
      .inSingletonScope();
    bind(TOKENS.Cache)
      .toDynamicValue((ctx) => {
        const config = ctx.get(TOKENS.Config).cache;
        if (!config.enabled) return undefined;
        const l2 = ctx.get(TOKENS.CacheStore);
        const { maxEntryBytes } = config.integrity;
        return new TieredCache<CachedAnswer>({
          l1: ctx.get(TOKENS.CacheL1),
          ...(l2 ? { l2 } : {}),
          // Answers from L2 are checked in depth before they are served or promoted.
          validate: (value) => cachedAnswerProblem(value),
          onCorrupt: reportCorrupt(ctx.get(TOKENS.Hooks)),
          maxEntryBytes,
          ...integrityOf(config.integrity),
        });
      })
      .inSingletonScope();
    bind(TOKENS.EmbeddingCache)
      .toDynamicValue((ctx) => {
        const config = ctx.get(TOKENS.Config).cache;
        if (!config.enabled) return undefined;
        const l2 = ctx.get(TOKENS.CacheStore);
        const { l1 } = config;
        const { maxEntryBytes } = config.integrity;
        return new TieredCache<CachedEmbedding>({
          // Its own L1 (vectors are not answers), bounded like the answers' one.
          l1: new SmartCache<CachedEmbedding>({
            maxEntries: l1.maxEntries,
            maxBytes: l1.maxBytes,
            ttlMs: l1.ttlMs,
            policy: l1.policy,
            memory: ctx.get(TOKENS.MemoryManager),
            name: "llm-embedding-cache-l1",
          }),
          ...(l2 ? { l2 } : {}),
          // Float32 bytes as base64 in L2, checked field by field on the way back.
          codec: embeddingCodec,
          validate: (value) => cachedEmbeddingProblem(value),
          onCorrupt: reportCorrupt(ctx.get(TOKENS.Hooks)),
          maxEntryBytes,
          ...integrityOf(config.integrity),
        });
      })
      .inSingletonScope();
    bind(TOKENS.CacheMiddleware)
      .toDynamicValue((ctx) => {
        const cache = ctx.get(TOKENS.Cache);
        if (!cache) return undefined;
        const hooks = ctx.get(TOKENS.Hooks);
        const config = ctx.get(TOKENS.Config).cache;
        const coordinator = ctx.get(TOKENS.FlightCoordinator);
        // ONE middleware over the one TieredCache, so single-flight and
        // `stats()` span every client; each client is built with its own
        // `withOptions` view of it (see build-client.ts). These settings are
        // the global ones, for a caller that uses this middleware directly.
        return cacheMiddleware({
          cache,
          scope: config.scope,
          ...(config.scopeSecret === undefined ? {} : { scopeSecret: config.scopeSecret }),
          allowNonDeterministic: config.policy.allowNonDeterministic,
          cacheUnsetTemperature: config.policy.cacheUnsetTemperature,
          onHit: ({ key, level, ageMs, request }) =>
            hooks.notify("onCacheHit", { key, level, ageMs, request }),
          onMiss: ({ key, request }) => hooks.notify("onCacheMiss", { key, request }),
          onCorrupt: reportCorrupt(hooks),
          // Once per coordinated miss (never per event): counted in stats().flights either way.
          ...(coordinator ? { onFlight: (event) => hooks.notify("onCacheFlight", event) } : {}),
          // After its in-process single-flight: one upstream call per key across processes.
          ...(coordinator ? { coordinator } : {}),
        });
      })
      .inSingletonScope()
      .onDeactivation(async (middleware) => {
        await middleware?.flush();
      });
  });
}

/** A corrupt entry, once, to `onCacheCorrupt` handlers (a failing handler is the hooks' business). */
const reportCorrupt =
  (hooks: Hooks) =>
  ({ key, level, reason }: CorruptEntryEvent): void =>
    hooks.notify("onCacheCorrupt", { key, level, reason });

/** Signing and verification of L2 entries (`cache.integrity`), the same for answers and vectors. */
function integrityOf(integrity: {
  secret?: { reveal(): string } | undefined;
  previousSecrets: readonly { reveal(): string }[];
}): { integrity?: { secret: string; previousSecrets: string[] } } {
  const { secret, previousSecrets } = integrity;
  return secret
    ? {
        integrity: {
          secret: secret.reveal(),
          previousSecrets: previousSecrets.map((s) => s.reveal()),
        },
      }
    : {};
}
