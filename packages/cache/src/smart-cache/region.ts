import { LRUCache } from "lru-cache";

/**
 * One region of SmartCache (window, probation or protected): an `lru-cache` instance that
 * keeps order, sizes and TTLs in flat arrays. Bounds are enforced across regions by
 * SmartCache; a region itself is unbounded.
 */

/** lru-cache forbids undefined and null values by type; we store any V but undefined. */
export type Stored = NonNullable<unknown>;

/**
 * What a region holds per key: the stored value and the key's hash (`hashKey`), computed
 * once when the key enters the cache. A hit feeds the frequency sketch and the shadow LRU
 * from `hash` and never rehashes the key; an admission contest reads both hashes here.
 */
export interface Entry {
  readonly value: Stored;
  readonly hash: number;
}

export type Region = LRUCache<string, Entry>;

// Reused option objects: lru-cache allocates a default `{}` per call otherwise.
export const GET_OPTIONS: LRUCache.GetOptions<string, Entry, unknown> = {};
export const PEEK_OPTIONS: LRUCache.PeekOptions<string, Entry, unknown> = {};
export const PEEK_STALE: LRUCache.PeekOptions<string, Entry, unknown> = { allowStale: true };
export const HAS_OPTIONS: LRUCache.HasOptions<string, Entry, unknown> = {};

/** lru-cache reads a TTL start of 0 as "no TTL"; offset the clock so an injected clock may start at 0. */
const CLOCK_OFFSET = 1;
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

export function createRegion(
  now: () => number,
  injectedClock: boolean,
  onExpire: (key: string, value: Stored) => void,
): Region {
  return new LRUCache<string, Entry>({
    maxSize: MAX_SIZE,
    perf: { now: () => now() + CLOCK_OFFSET },
    // A real clock is read at most once per ms; an injected one every time.
    ttlResolution: injectedClock ? 0 : 1,
    ttlAutopurge: false,
    // Only expiry happens inside lru-cache; every other removal is SmartCache's and reported by it.
    dispose: (value, key, reason) => {
      if (reason === "expire") onExpire(key, value.value);
    },
  });
}

/** The least recently used key of a region, expired or not. */
export function oldestKey(region: Region): string | undefined {
  // rkeys() skips expired entries unless the instance allows stale reads; expired entries
  // must be found too, or they would pile up at the cold end unseen.
  region.allowStale = true;
  try {
    return region.rkeys().next().value ?? undefined;
  } finally {
    region.allowStale = false;
  }
}

/** Every key of a region, expired or not. */
export function allKeys(region: Region): string[] {
  region.allowStale = true;
  try {
    return [...region.keys()];
  } finally {
    region.allowStale = false;
  }
}

/** A region's share of a bound, at least 1 (∞ stays ∞). */
export function quota(maximum: number, fraction: number): number {
  if (!Number.isFinite(maximum)) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.round(maximum * fraction));
}
