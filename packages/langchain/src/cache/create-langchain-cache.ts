import {
  type CacheStore,
  type EntryIntegrityOptions,
  SmartCache,
  type SmartCacheOptions,
  TieredCache,
} from "@llm/cache";
import {
  DEFAULT_MAX_GENERATION_BYTES,
  LLMKitCache,
  type LLMKitCacheOptions,
} from "./llm-kit-cache.js";
import { type StoredGenerations, storedGenerationsProblem } from "./stored-generations.js";

export interface CreateLangChainCacheOptions extends Omit<LLMKitCacheOptions, "cache"> {
  /** L1 settings (a `SmartCache`). Default: 4 000 entries, 64 MiB. */
  l1?: SmartCacheOptions<StoredGenerations>;
  /** An L2 store (`MemoryStore`, `SqliteStore`, `RedisStore`); without one, L1 only. */
  l2?: CacheStore;
  /** Sign L2 entries and refuse unsigned or forged ones (stores shared with others). */
  integrity?: EntryIntegrityOptions;
}

/**
 * An `LLMKitCache` over a `TieredCache` whose L2 reads are bounded and
 * checked before they are promoted into L1: the short way to give LangChain
 * a SmartCache, and SQLite or Redis behind it. `close()` the returned
 * `tiered` cache when done: it closes the store too.
 */
export function createLangChainCache(options: CreateLangChainCacheOptions = {}): {
  cache: LLMKitCache;
  tiered: TieredCache<StoredGenerations>;
} {
  const { l1, l2, integrity, ...rest } = options;
  const maxEntryBytes = rest.maxEntryBytes ?? DEFAULT_MAX_GENERATION_BYTES;
  const tiered = new TieredCache<StoredGenerations>({
    l1: new SmartCache<StoredGenerations>(l1 ?? { maxEntries: 4_000, maxBytes: 64 * 1024 * 1024 }),
    ...(l2 === undefined ? {} : { l2 }),
    ...(integrity === undefined ? {} : { integrity }),
    ...(rest.ttlMs === undefined ? {} : { ttlMs: rest.ttlMs }),
    // An envelope adds a little around the entry; twice the entry bound is still a bound.
    maxEntryBytes: 2 * maxEntryBytes,
    validate: (value) => storedGenerationsProblem(value, rest.limits),
    onCorrupt: ({ key, reason }) => rest.onCorrupt?.({ key, reason }),
    onError: (error, operation) => rest.onError?.(error, `l2 ${operation}`),
  });
  return { cache: new LLMKitCache({ ...rest, cache: tiered }), tiered };
}
