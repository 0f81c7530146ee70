/**
 * The L2 contract: a remote or on-disk key-value store that `TieredCache`
 * puts under its in-memory L1. Values are strings because every entry is
 * serialised JSON (an envelope with a version, timestamps and the payload);
 * a store never needs to understand them.
 *
 * Only `get`, `set`, `delete`, `clear` and `close` are required — the rest is
 * optional and `TieredCache` uses it when present (after unjs `unstorage`).
 * Every driver runs the shared suite in `@llm/cache/testing`.
 */
export interface CacheStore {
  /** Shown in stats, logs and errors, e.g. `"redis"`, `"sqlite"`. */
  readonly name: string;

  /** The value, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: StoreSetOptions): Promise<void>;
  /** Resolves `true` when the key existed. */
  delete(key: string): Promise<boolean>;
  clear(): Promise<void>;

  /** Batched read; the result has one slot per key, in order. */
  getMany?(keys: readonly string[]): Promise<(string | undefined)[]>;
  setMany?(entries: readonly StoreEntry[]): Promise<void>;
  /** Deletes every key that starts with `prefix`; resolves the number deleted. */
  deleteByPrefix?(prefix: string): Promise<number>;
  /** Deletes every key set with `tag`; resolves the number deleted. */
  deleteByTag?(tag: string): Promise<number>;

  /**
   * Cross-process invalidation: `listener` is called for every delete,
   * prefix/tag delete or clear made through ANOTHER instance of the store on
   * the same namespace (never for this instance's own). Returns the
   * unsubscribe function.
   */
  subscribe?(listener: InvalidationListener): () => void;

  /** Releases connections, timers and file handles. Idempotent. */
  close(): Promise<void>;
}

export interface StoreSetOptions {
  /** Time to live in ms; absent means no expiry. */
  ttlMs?: number;
  /** Labels for `deleteByTag`. */
  tags?: readonly string[];
}

export interface StoreEntry extends StoreSetOptions {
  key: string;
  value: string;
}

/** What another process invalidated. */
export type StoreInvalidation =
  | { type: "key"; key: string }
  | { type: "prefix"; prefix: string }
  | { type: "tag"; tag: string }
  | { type: "clear" };

export type InvalidationListener = (invalidation: StoreInvalidation) => void;
