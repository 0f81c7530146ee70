import { ConfigError } from "@llm/core";

/**
 * The default bound on one entry an L2 store reads back, in bytes: above
 * anything a `TieredCache` with its default bound (8 Mi characters) stores,
 * even at 3 UTF-8 bytes each. A store shared with other writers (a Redis, a
 * SQLite file) must not receive whatever they put there whole.
 */
export const DEFAULT_MAX_READ_BYTES = 32 * 1024 * 1024;

/**
 * A store's `maxEntryBytes` option: `DEFAULT_MAX_READ_BYTES` when unset, a
 * `ConfigError` naming `store`'s options when it is not a positive integer.
 */
export function entryReadBound(value: number | undefined, store: string): number {
  const bound = value ?? DEFAULT_MAX_READ_BYTES;
  if (Number.isSafeInteger(bound) && bound >= 1) return bound;
  throw new ConfigError(`Invalid ${store} options`, {
    issues: [
      { path: "maxEntryBytes", message: `must be a positive integer, got ${String(value)}` },
    ],
  });
}
