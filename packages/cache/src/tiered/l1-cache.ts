/**
 * What `TieredCache` needs from its L1 — the synchronous, in-memory part of
 * `SmartCache`'s API. Any `SmartCache` fits; so does a test double.
 */
export interface L1Cache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V, options?: { ttlMs?: number; tags?: string[] }): boolean;
  delete(key: string): boolean;
  invalidatePrefix(prefix: string): number;
  invalidateTag(tag: string): number;
  clear(): void;
}
