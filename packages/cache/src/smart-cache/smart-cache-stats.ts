import type { EvictionReason, SmartCachePolicy } from "./smart-cache-options.js";

export interface SmartCacheStats {
  policy: SmartCachePolicy;
  hits: number;
  misses: number;
  /** hits ÷ (hits + misses); 0 before the first lookup. */
  hitRate: number;
  sets: number;
  evictions: Record<EvictionReason, number>;
  /** Entries refused: bigger than the whole budget, or losing TinyLFU's frequency contest. */
  admissionsRefused: { tooLarge: number; frequency: number };
  entries: number;
  bytes: number;
  maxBytes?: number;
  maxEntries?: number;
  loads: number;
  loadErrors: number;
  loadTimeMs: { total: number; mean: number };
  /** getOrLoad calls that joined a load already in flight instead of starting one. */
  coalesced: number;
  /** getOrLoad calls answered with an expired value while it was being refreshed. */
  staleServed: number;
  /** The admission window: its entries, bytes and current share of capacity. */
  window: { entries: number; bytes: number; fraction: number };
}

/** The counters behind `SmartCache.stats()`; plain fields, bumped on the hot path. */
export class SmartCacheCounters {
  hits = 0;
  misses = 0;
  sets = 0;
  loads = 0;
  loadErrors = 0;
  loadTimeMs = 0;
  coalesced = 0;
  staleServed = 0;
  refusedTooLarge = 0;
  refusedFrequency = 0;
  readonly evictions: Record<EvictionReason, number> = {
    capacity: 0,
    expired: 0,
    deleted: 0,
    shrink: 0,
    rejected: 0,
  };

  get lookups(): number {
    return this.hits + this.misses;
  }
}
