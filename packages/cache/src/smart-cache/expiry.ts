import type { Region } from "./region.js";

/**
 * Time to live and stale-while-revalidate. An entry's lru-cache TTL is its own TTL plus the
 * grace `staleWhileRevalidateMs`: inside the grace it is "soft stale" — invisible to `get`,
 * `peek` and `has`, but `getOrLoad` may serve it while one background load refreshes it.
 */
export class Expiry {
  readonly ttlMs: number;
  readonly swrMs: number;
  /** Whether any entry was ever stored with a TTL (skips expiry checks when none was). */
  used = false;

  constructor(ttlMs: number, swrMs: number) {
    this.ttlMs = ttlMs;
    this.swrMs = swrMs;
  }

  /** The lru-cache TTL for an entry (0: none), from a per-entry override or the default. */
  ttlFor(override: number | undefined): number {
    const ttlMs = override ?? this.ttlMs;
    if (!(ttlMs > 0)) return 0;
    this.used = true;
    return Math.ceil(ttlMs + this.swrMs);
  }

  /** Past its TTL but inside the stale-while-revalidate grace. */
  isSoftStale(region: Region, key: string): boolean {
    return this.swrMs > 0 && region.getRemainingTTL(key) <= this.swrMs;
  }
}
