import type {
  CachedAnswer,
  CachedEmbedding,
  CacheMiddleware,
  CacheStore,
  FlightCoordinator,
  SmartCache,
  TieredCache,
} from "@llm/cache";
import type { ConfigManager, LLMConfig } from "@llm/config";
import type { ProviderRegistry, Transport } from "@llm/core";
import type { Hooks } from "@llm/hooks";
import type { MemoryManager } from "@llm/memory";
import type { PluginManager } from "@llm/plugins";
import type { ConnectionPool } from "@llm/pool";
import type { RateLimitStore } from "@llm/ratelimit";
import type { ServiceIdentifier } from "inversify";
import type { EmbeddingClientFactory } from "./embedding-client-factory.js";
import type { LLMClientFactory } from "./llm-client-factory.js";
import type { ProviderConfigSettingsCatalog } from "./provider-config-settings.js";

const token = <T>(name: string): ServiceIdentifier<T> => Symbol.for(`@llm/di:${name}`);

/** Typed service identifiers for everything the container provides. */
export const TOKENS = {
  ConfigManager: token<ConfigManager>("ConfigManager"),
  /** The current config snapshot; resolved afresh on every `get` (it changes on hot reload). */
  Config: token<Readonly<LLMConfig>>("Config"),
  ProviderRegistry: token<ProviderRegistry>("ProviderRegistry"),
  /** Each provider type's schema of `clients.<name>.providerSettings` (its package's `configSettings`). */
  ProviderConfigSettings: token<ProviderConfigSettingsCatalog>("ProviderConfigSettings"),
  ConnectionPool: token<ConnectionPool>("ConnectionPool"),
  Transport: token<Transport>("Transport"),
  MemoryManager: token<MemoryManager>("MemoryManager"),
  /** L1 of the response cache. */
  CacheL1: token<SmartCache<CachedAnswer>>("CacheL1"),
  /** L2 store, absent when `cache.l2.type` is `none`. */
  CacheStore: token<CacheStore | undefined>("CacheStore"),
  /** Cross-process single-flight (`cache.l2.coalesce`); absent unless the L2 is Redis and coalescing is on. */
  FlightCoordinator: token<FlightCoordinator | undefined>("FlightCoordinator"),
  /** L1 + L2; absent when `cache.enabled` is false. */
  Cache: token<TieredCache<CachedAnswer> | undefined>("Cache"),
  /** The response-cache middleware shared by every client (one set of statistics, one single-flight; each client uses a `withOptions` view); absent when off. */
  CacheMiddleware: token<CacheMiddleware | undefined>("CacheMiddleware"),
  /** Per-text vectors: its own L1 over the same L2 store as answers; absent when `cache.enabled` is false. */
  EmbeddingCache: token<TieredCache<CachedEmbedding> | undefined>("EmbeddingCache"),
  /** `embeddings.get("search")`: the embedding client of a configured client. */
  EmbeddingClientFactory: token<EmbeddingClientFactory>("EmbeddingClientFactory"),
  /** Where every client's rate-limit budget lives (`rateLimits.store`): in process or in Redis. */
  RateLimitStore: token<RateLimitStore>("RateLimitStore"),
  Hooks: token<Hooks>("Hooks"),
  PluginManager: token<PluginManager>("PluginManager"),
  LLMClientFactory: token<LLMClientFactory>("LLMClientFactory"),
  /** Where plugin and provider packages are resolved from (the config file's folder). */
  BaseDir: token<string>("BaseDir"),
} as const;
