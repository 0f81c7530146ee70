import type {
  CacheStore,
  InvalidationListener,
  StoreEntry,
  StoreInvalidation,
  StoreSetOptions,
} from "./cache-store.js";

interface MemoryRecord {
  value: string;
  /** Epoch ms, or `Infinity` for no expiry. */
  expiresAt: number;
  tags: readonly string[];
}

/** The data and the connected handles that several `MemoryStore`s share. */
class MemoryBacking {
  readonly records = new Map<string, MemoryRecord>();
  readonly tagIndex = new Map<string, Set<string>>();
  readonly handles = new Set<MemoryStore>();
}

export interface MemoryStoreOptions {
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * A `Map`-backed L2 for tests and single-process use. It is unbounded —
 * the bounded, frequency-aware cache is the L1 above it.
 *
 * `connect()` returns another handle on the same data that behaves like a
 * second process: invalidations made through one handle reach the other
 * handles' `subscribe` listeners, never their own.
 */
export class MemoryStore implements CacheStore {
  readonly name = "memory";
  readonly #backing: MemoryBacking;
  readonly #now: () => number;
  readonly #listeners = new Set<InvalidationListener>();
  #closed = false;

  constructor(options: MemoryStoreOptions = {}, backing = new MemoryBacking()) {
    this.#now = options.now ?? Date.now;
    this.#backing = backing;
    backing.handles.add(this);
  }

  /** A second handle on the same data, as another process would have. */
  connect(): MemoryStore {
    return new MemoryStore({ now: this.#now }, this.#backing);
  }

  /** Live (unexpired) entries, for tests and stats. */
  get size(): number {
    let count = 0;
    const now = this.#now();
    for (const record of this.#backing.records.values()) if (record.expiresAt > now) count++;
    return count;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#read(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return keys.map((key) => this.#read(key));
  }

  async set(key: string, value: string, options: StoreSetOptions = {}): Promise<void> {
    this.#write({ key, value, ...options });
  }

  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    for (const entry of entries) this.#write(entry);
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.#remove(key);
    this.#publish({ type: "key", key });
    return existed;
  }

  async deleteByPrefix(prefix: string): Promise<number> {
    let count = 0;
    for (const key of [...this.#backing.records.keys()]) {
      if (key.startsWith(prefix) && this.#remove(key)) count++;
    }
    this.#publish({ type: "prefix", prefix });
    return count;
  }

  async deleteByTag(tag: string): Promise<number> {
    let count = 0;
    const keys = this.#backing.tagIndex.get(tag);
    if (keys) for (const key of [...keys]) if (this.#remove(key)) count++;
    this.#publish({ type: "tag", tag });
    return count;
  }

  async clear(): Promise<void> {
    this.#backing.records.clear();
    this.#backing.tagIndex.clear();
    this.#publish({ type: "clear" });
  }

  subscribe(listener: InvalidationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#backing.handles.delete(this);
  }

  #read(key: string): string | undefined {
    const record = this.#backing.records.get(key);
    if (record === undefined) return undefined;
    if (record.expiresAt <= this.#now()) {
      this.#remove(key);
      return undefined;
    }
    return record.value;
  }

  #write(entry: StoreEntry): void {
    this.#remove(entry.key);
    const tags = entry.tags ?? [];
    const expiresAt =
      entry.ttlMs === undefined ? Number.POSITIVE_INFINITY : this.#now() + entry.ttlMs;
    this.#backing.records.set(entry.key, { value: entry.value, expiresAt, tags });
    for (const tag of tags) {
      let keys = this.#backing.tagIndex.get(tag);
      if (keys === undefined) {
        keys = new Set();
        this.#backing.tagIndex.set(tag, keys);
      }
      keys.add(entry.key);
    }
  }

  #remove(key: string): boolean {
    const record = this.#backing.records.get(key);
    if (record === undefined) return false;
    this.#backing.records.delete(key);
    for (const tag of record.tags) {
      const keys = this.#backing.tagIndex.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.#backing.tagIndex.delete(tag);
    }
    // An expired record is gone, but it was not "there" for the caller.
    return record.expiresAt > this.#now();
  }

  #publish(invalidation: StoreInvalidation): void {
    for (const handle of this.#backing.handles) {
      if (handle !== this) handle.#deliver(invalidation);
    }
  }

  #deliver(invalidation: StoreInvalidation): void {
    for (const listener of this.#listeners) listener(invalidation);
  }
}
