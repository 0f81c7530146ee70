import { type CacheStore, entryReadBound, type StoreEntry, type StoreSetOptions } from "@llm/cache";
import { LimitExceededError } from "@llm/core";
import type Database from "better-sqlite3";
import { openDatabase } from "./open-database.js";

export interface SqliteStoreOptions {
  /** The cache file (created 0600, parent directories 0700). `":memory:"` for a private in-memory store. */
  path: string;
  /** Cap on the bytes of all values (UTF-8 of key + value). Default 256 MiB. */
  maxBytes?: number;
  /** Cap on the number of entries. Default: none. */
  maxEntries?: number;
  /** Background sweep of expired entries, ms; 0 disables it. Default 60 000. */
  sweepIntervalMs?: number;
  /** Longest a statement waits for another process's write lock, ms. Default 100. */
  busyTimeoutMs?: number;
  /**
   * When the file cannot be used, log and keep going on an in-memory database
   * (`degraded` becomes true) instead of throwing a `ConfigError`.
   */
  fallbackToMemory?: boolean;
  /** Where the fall-back is logged. Default `console.warn`. */
  logger?: (message: string) => void;
  /**
   * Largest entry `get` / `getMany` read, in bytes (UTF-8). A bigger one — nothing this store
   * writes through a `TieredCache`, but the file is shared with whatever else can write it —
   * reads as a miss, reported to `onError` as a `LimitExceededError` (`entryBytes`), and is
   * never loaded. Default `DEFAULT_MAX_READ_BYTES` (32 MiB).
   */
  maxEntryBytes?: number;
  /** Errors of the background sweep and entries refused by `maxEntryBytes` (they never throw anywhere). */
  onError?: (error: unknown) => void;
  now?: () => number;
}

/** Eviction frees down to this fraction of the cap, so a full cache does not evict on every write. */
const LOW_WATER = 0.9;
/** Reads refresh `accessed_at` at most this often per entry: a read is not a write every time. */
const TOUCH_GRANULARITY_MS = 1_000;
const SWEEP_BATCH = 1_000;

interface Row {
  /** The value, or its size in bytes when over `maxEntryBytes` (then never loaded). */
  value: string | number;
  expires_at: number | null;
  accessed_at: number;
}

/**
 * The embedded L2: one SQLite file (better-sqlite3), WAL, TTL enforced on
 * read and swept on an unref'd timer, a byte / entry cap evicting the least
 * recently accessed first, tags and prefix deletes. It survives restarts.
 *
 * better-sqlite3 is synchronous: each call blocks the event loop for the
 * statement's duration (microseconds for a point read or write on an indexed
 * key; an eviction or sweep batch is bounded). The methods are async only to
 * fit `CacheStore`.
 */
export class SqliteStore implements CacheStore {
  readonly name = "sqlite";
  readonly path: string;
  /** True when the file could not be used and the store runs in memory (`fallbackToMemory`). */
  readonly degraded: boolean;
  /** Why it is degraded. */
  readonly degradedReason: string | undefined;
  readonly #db: Database.Database;
  readonly #now: () => number;
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  readonly #maxEntryBytes: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  readonly #sql;
  #bytes = 0;
  #entries = 0;
  #closed = false;

  constructor(options: SqliteStoreOptions) {
    this.path = options.path;
    this.#now = options.now ?? Date.now;
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.#maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
    this.#onError = options.onError;
    this.#maxEntryBytes = entryReadBound(options.maxEntryBytes, "SqliteStore");
    const busyTimeoutMs = options.busyTimeoutMs ?? 100;
    let db: Database.Database;
    try {
      db = openDatabase(options.path, { busyTimeoutMs });
      this.degraded = false;
      this.degradedReason = undefined;
    } catch (error) {
      if (!options.fallbackToMemory) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      (options.logger ?? console.warn)(
        `${reason}\nFalling back to an in-memory cache (nothing is persisted).`,
      );
      db = openDatabase(":memory:", { busyTimeoutMs });
      this.degraded = true;
      this.degradedReason = reason;
    }
    this.#db = db;
    this.#sql = prepare(db);
    this.#recount();

    const every = options.sweepIntervalMs ?? 60_000;
    if (every > 0) {
      this.#timer = setInterval(() => {
        try {
          this.sweep();
        } catch (error) {
          this.#onError?.(error);
        }
      }, every);
      this.#timer.unref();
    }
  }

  /** Entries and bytes as accounted (recounted from the file at each sweep). */
  get usage(): { entries: number; bytes: number } {
    return { entries: this.#entries, bytes: this.#bytes };
  }

  async get(key: string): Promise<string | undefined> {
    return this.#read(key, this.#now());
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    const now = this.#now();
    return keys.map((key) => this.#read(key, now));
  }

  async set(key: string, value: string, options: StoreSetOptions = {}): Promise<void> {
    this.#writeMany([{ key, value, ...options }]);
  }

  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    this.#writeMany(entries);
  }

  async delete(key: string): Promise<boolean> {
    const row = this.#sql.deleteKey.get(key) as
      | { size: number; expires_at: number | null }
      | undefined;
    if (row === undefined) return false;
    this.#forget(1, row.size);
    return row.expires_at === null || row.expires_at > this.#now();
  }

  async deleteByPrefix(prefix: string): Promise<number> {
    if (prefix === "") {
      const count = this.#entries;
      await this.clear();
      return count;
    }
    // A range on the primary key, not LIKE: no wildcard escaping, and it uses the index.
    const upper = `${prefix}\u{10FFFF}`;
    return this.#db.transaction(() => {
      const { count, bytes } = this.#sql.sumRange.get(prefix, upper) as {
        count: number;
        bytes: number;
      };
      this.#sql.deleteRange.run(prefix, upper);
      this.#forget(count, bytes);
      return count;
    })();
  }

  async deleteByTag(tag: string): Promise<number> {
    return this.#db.transaction(() => {
      const { count, bytes } = this.#sql.sumTag.get(tag) as { count: number; bytes: number };
      this.#sql.deleteTag.run(tag);
      this.#forget(count, bytes);
      return count;
    })();
  }

  async clear(): Promise<void> {
    this.#db.transaction(() => {
      this.#sql.clearEntries.run();
      this.#sql.clearTags.run();
    })();
    this.#entries = 0;
    this.#bytes = 0;
  }

  /** Deletes expired entries in batches and recounts; returns how many were deleted. Runs on the timer. */
  sweep(): number {
    const now = this.#now();
    let total = 0;
    for (;;) {
      const deleted = this.#sql.sweep.run(now, SWEEP_BATCH).changes;
      total += deleted;
      if (deleted < SWEEP_BATCH) break;
    }
    this.#recount();
    return total;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#db.close();
  }

  #read(key: string, now: number): string | undefined {
    const row = this.#sql.get.get(this.#maxEntryBytes, key) as Row | undefined;
    if (row === undefined) return undefined;
    if (row.expires_at !== null && row.expires_at <= now) {
      const gone = this.#sql.deleteKey.get(key) as { size: number } | undefined;
      if (gone) this.#forget(1, gone.size);
      return undefined;
    }
    if (typeof row.value === "number") {
      this.#onError?.(
        new LimitExceededError(
          "entryBytes",
          this.#maxEntryBytes,
          row.value,
          `SqliteStore entry ${key} (${this.path})`,
        ),
      );
      return undefined;
    }
    if (now - row.accessed_at >= TOUCH_GRANULARITY_MS) this.#sql.touch.run(now, key);
    return row.value;
  }

  #writeMany(entries: readonly StoreEntry[]): void {
    const now = this.#now();
    this.#db.transaction(() => {
      for (const entry of entries) {
        const size = Buffer.byteLength(entry.key) + Buffer.byteLength(entry.value);
        const old = this.#sql.sizeOf.get(entry.key) as { size: number } | undefined;
        const expiresAt = entry.ttlMs === undefined ? null : now + entry.ttlMs;
        this.#sql.upsert.run(entry.key, entry.value, expiresAt, now, size);
        this.#sql.untag.run(entry.key);
        for (const tag of entry.tags ?? []) this.#sql.tag.run(tag, entry.key);
        if (old === undefined) this.#entries++;
        this.#bytes += size - (old?.size ?? 0);
      }
      this.#evictIfNeeded();
    })();
  }

  #evictIfNeeded(): void {
    if (this.#bytes <= this.#maxBytes && this.#entries <= this.#maxEntries) return;
    const targetBytes = this.#maxBytes * LOW_WATER;
    const targetEntries = Math.floor(this.#maxEntries * LOW_WATER);
    while (this.#entries > 0 && (this.#bytes > targetBytes || this.#entries > targetEntries)) {
      // Estimate the batch from the average entry, so one pass usually suffices.
      const average = this.#bytes / this.#entries;
      const byBytes = Math.ceil((this.#bytes - targetBytes) / Math.max(1, average));
      const byEntries = this.#entries - targetEntries;
      const batch = Math.max(1, byBytes, byEntries);
      const victims = this.#sql.oldest.all(batch) as { key: string; size: number }[];
      for (const victim of victims) this.#sql.deleteKey.run(victim.key);
      this.#forget(
        victims.length,
        victims.reduce((sum, v) => sum + v.size, 0),
      );
      if (victims.length === 0) break;
    }
  }

  #forget(count: number, bytes: number): void {
    this.#entries = Math.max(0, this.#entries - count);
    this.#bytes = Math.max(0, this.#bytes - bytes);
  }

  /** Exact totals from the file (other processes may write to it too). */
  #recount(): void {
    const { count, bytes } = this.#sql.totals.get() as { count: number; bytes: number };
    this.#entries = count;
    this.#bytes = bytes;
  }
}

function prepare(db: Database.Database) {
  return {
    // octet_length reads a value's size from its record header, not the value: one over
    // the bound is never loaded (SQLite holds up to 1 GB in a row).
    get: db.prepare(
      `SELECT CASE WHEN octet_length(value) > ? THEN octet_length(value) ELSE value END AS value,
              expires_at, accessed_at FROM entries WHERE key = ?`,
    ),
    touch: db.prepare("UPDATE entries SET accessed_at = ? WHERE key = ?"),
    sizeOf: db.prepare("SELECT size FROM entries WHERE key = ?"),
    upsert: db.prepare(
      `INSERT INTO entries (key, value, expires_at, accessed_at, size) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at,
         accessed_at = excluded.accessed_at, size = excluded.size`,
    ),
    untag: db.prepare("DELETE FROM tags WHERE key = ?"),
    tag: db.prepare("INSERT OR IGNORE INTO tags (tag, key) VALUES (?, ?)"),
    deleteKey: db.prepare("DELETE FROM entries WHERE key = ? RETURNING size, expires_at"),
    sumRange: db.prepare(
      "SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes FROM entries WHERE key >= ? AND key < ?",
    ),
    deleteRange: db.prepare("DELETE FROM entries WHERE key >= ? AND key < ?"),
    sumTag: db.prepare(
      `SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes FROM entries
       WHERE key IN (SELECT key FROM tags WHERE tag = ?)`,
    ),
    deleteTag: db.prepare("DELETE FROM entries WHERE key IN (SELECT key FROM tags WHERE tag = ?)"),
    clearEntries: db.prepare("DELETE FROM entries"),
    clearTags: db.prepare("DELETE FROM tags"),
    sweep: db.prepare(
      `DELETE FROM entries WHERE key IN
       (SELECT key FROM entries WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)`,
    ),
    oldest: db.prepare("SELECT key, size FROM entries ORDER BY accessed_at ASC LIMIT ?"),
    totals: db.prepare("SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes FROM entries"),
  };
}
