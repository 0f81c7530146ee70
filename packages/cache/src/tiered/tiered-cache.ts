import { SingleFlight } from "../smart-cache/single-flight.js";
import type { CacheStore, StoreInvalidation } from "../store/cache-store.js";
import { CacheEntryCorruptError } from "./cache-entry-corrupt-error.js";
import { EntryIntegrity, type EntryIntegrityOptions, unsignedBody } from "./entry-integrity.js";
import {
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  jsonCodec,
  type ValueCodec,
} from "./envelope.js";
import type { L1Cache } from "./l1-cache.js";
import { type GuardCounters, StoreGuard, type StoreGuardOptions } from "./store-guard.js";

export interface TieredCacheOptions<V> {
  /** The in-memory level, normally a `SmartCache`. */
  l1: L1Cache<V>;
  /** The shared or persistent level (`MemoryStore`, `SqliteStore`, `RedisStore`). Optional: without it, L1 only. */
  l2?: CacheStore;
  /** Value ↔ JSON for L2; default: the value is JSON already. */
  codec?: ValueCodec<V>;
  /** TTL when `set` gives none. Default: none in L2, L1's own default in L1. */
  ttlMs?: number;
  /** Deadline and circuit of L2 calls (default 250 ms timeout, open after 3 failures, 1 s → 5 s back-off). */
  l2Guard?: StoreGuardOptions;
  /** Told about every L2 failure (already counted); for logs. Never throws into a request. */
  onError?: (error: unknown, operation: string) => void;
  /**
   * Checks a value decoded from L2 before it is served or promoted into L1:
   * returns why it is unusable (naming the bad path), or `undefined`. For the
   * cache middleware's answers: `answerProblem`.
   */
  validate?: (value: V) => string | undefined;
  /**
   * Told once about every entry that was read back damaged, forged, too big or
   * refused by `validate` (it is then counted, deleted and served as a miss).
   * The event names the key, the level and the reason — never the content.
   */
  onCorrupt?: (event: CorruptEntryEvent) => void;
  /** Longest stored text read from L2, in characters; a longer entry is corrupt. Default 8 MiB. */
  maxEntryBytes?: number;
  /** Sign L2 entries with HMAC-SHA256 and refuse unsigned or forged ones (shared stores). */
  integrity?: EntryIntegrityOptions;
  now?: () => number;
}

export interface TieredSetOptions {
  ttlMs?: number;
  tags?: readonly string[];
}

/** An entry read back unusable: what `onCorrupt` is told. */
export interface CorruptEntryEvent {
  key: string;
  level: "l1" | "l2";
  /** The first thing wrong, by path: `response.toolCalls[0]: expected object, got null`. */
  reason: string;
}

/** Default bound of one L2 entry (characters of stored text). */
export const DEFAULT_MAX_ENTRY_BYTES = 8 * 1024 * 1024;

/** A hit, and where it came from. */
export interface TieredHit<V> {
  value: V;
  level: "l1" | "l2";
  /** When the entry was stored, known for L2 hits (it travels in the envelope). */
  storedAt?: number;
}

export interface TieredCacheStats {
  /** `corrupt`: L1 entries whose codec could not decode them (dropped, served as misses). */
  l1: { hits: number; misses: number; corrupt: number };
  l2: GuardCounters & {
    enabled: boolean;
    hits: number;
    misses: number;
    writes: number;
    /** Entries that did not decode (damaged, forged, too big, other version, refused): served as misses and deleted. */
    corrupt: number;
  };
  /** Invalidations other processes published and we applied to L1. */
  remoteInvalidations: number;
  /** Invalidations that could not reach L2 and wait for it to come back. */
  pendingInvalidations: number;
}

/** At most this many failed L2 invalidations are remembered for replay; older ones are dropped. */
const MAX_PENDING_INVALIDATIONS = 1_000;

/**
 * L1 (`SmartCache`, in memory) over an L2 `CacheStore`.
 *
 * Reads go L1 → L2; an L2 hit is promoted into L1 with its remaining TTL and
 * tags. Writes and invalidations go to both levels. When the store can
 * `subscribe`, other processes' invalidations evict our L1 too.
 *
 * L2 is never allowed to fail a request: every call has a deadline, failures
 * are counted and read as misses, and after repeated failures L2 is skipped
 * for a growing back-off (see `StoreGuard`) until a probe call succeeds.
 * Invalidations that could not reach L2 are replayed when it returns.
 */
export class TieredCache<V> {
  readonly l1: L1Cache<V>;
  readonly l2: CacheStore | undefined;
  readonly #codec: ValueCodec<V>;
  readonly #ttlMs: number | undefined;
  readonly #guard: StoreGuard;
  readonly #now: () => number;
  readonly #onError: ((error: unknown, operation: string) => void) | undefined;
  readonly #unsubscribe: (() => void) | undefined;
  readonly #validate: ((value: V) => string | undefined) | undefined;
  readonly #onCorrupt: ((event: CorruptEntryEvent) => void) | undefined;
  readonly #maxEntryBytes: number;
  readonly #integrity: EntryIntegrity | undefined;
  readonly #flights = new SingleFlight<V>();
  readonly #pending: StoreInvalidation[] = [];
  /** Bumped by every invalidation, so an L2 read that raced one does not promote a stale value. */
  #epoch = 0;
  #closed = false;
  readonly #counts = {
    l1Hits: 0,
    l1Misses: 0,
    l2Hits: 0,
    l2Misses: 0,
    writes: 0,
    corrupt: 0,
    l1Corrupt: 0,
    remote: 0,
  };

  constructor(options: TieredCacheOptions<V>) {
    this.l1 = options.l1;
    this.l2 = options.l2;
    this.#codec = options.codec ?? jsonCodec<V>();
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError;
    this.#validate = options.validate;
    this.#onCorrupt = options.onCorrupt;
    this.#maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    this.#integrity = options.integrity ? new EntryIntegrity(options.integrity) : undefined;
    this.#guard = new StoreGuard({ now: this.#now, ...options.l2Guard });
    this.#guard.onRecover = () => void this.#replayInvalidations();
    this.#unsubscribe = this.l2?.subscribe?.((invalidation) => this.#applyRemote(invalidation));
  }

  /** The value, from L1 or L2, or `undefined`. Never throws because of L2. */
  async get(key: string): Promise<V | undefined> {
    return (await this.lookup(key))?.value;
  }

  /** Like `get`, but says which level answered. */
  async lookup(key: string): Promise<TieredHit<V> | undefined> {
    return this.lookupL1(key) ?? this.lookupL2(key);
  }

  /**
   * The L1 half of `lookup`, synchronous: a hit costs no promise. When it
   * returns `undefined`, finish with `lookupL2` (which counts as the same lookup).
   */
  lookupL1(key: string): TieredHit<V> | undefined {
    let local: V | undefined;
    try {
      local = this.l1.get(key);
    } catch (error) {
      // An L1 codec that cannot decode its own entry: drop it, never fail the call.
      try {
        this.l1.delete(key);
      } catch {
        // its eviction listener decodes it again; it is gone all the same
      }
      this.#corrupt(key, "l1", `entry did not decode (${errorName(error)})`);
      local = undefined;
    }
    if (local !== undefined) {
      this.#counts.l1Hits++;
      return { value: local, level: "l1" };
    }
    this.#counts.l1Misses++;
    return undefined;
  }

  /** The L2 half of `lookup`, after `lookupL1` missed. Never throws because of L2. */
  async lookupL2(key: string): Promise<TieredHit<V> | undefined> {
    if (this.l2 === undefined) return undefined;

    const epoch = this.#epoch;
    const store = this.l2;
    const outcome = await this.#guard.run(() => store.get(key));
    if (!outcome.ok) {
      this.#reportFailure(outcome, "get");
      this.#counts.l2Misses++;
      return undefined;
    }
    if (outcome.value === undefined) {
      this.#counts.l2Misses++;
      return undefined;
    }
    const read = this.#decode(key, outcome.value);
    if ("problem" in read) {
      this.#counts.l2Misses++;
      this.#onError?.(new CacheEntryCorruptError(key, "l2", read.problem), "decode");
      this.#corrupt(key, "l2", read.problem);
      void this.#guard.run(() => store.delete(key));
      return undefined;
    }
    const envelope = read.envelope;
    const remaining =
      envelope.expiresAt === undefined ? undefined : envelope.expiresAt - this.#now();
    if (remaining !== undefined && remaining <= 0) {
      this.#counts.l2Misses++;
      return undefined;
    }
    this.#counts.l2Hits++;
    if (epoch === this.#epoch) {
      this.l1.set(key, envelope.value, {
        ...(remaining === undefined ? {} : { ttlMs: remaining }),
        ...(envelope.tags.length > 0 ? { tags: envelope.tags } : {}),
      });
    }
    return { value: envelope.value, level: "l2", storedAt: envelope.storedAt };
  }

  /** Writes both levels. Resolves when L2 has the value, failed or timed out — never rejects. */
  async set(key: string, value: V, options: TieredSetOptions = {}): Promise<void> {
    const ttlMs = options.ttlMs ?? this.#ttlMs;
    const tags = options.tags ? [...options.tags] : [];
    this.l1.set(key, value, {
      ...(ttlMs === undefined ? {} : { ttlMs }),
      ...(tags.length > 0 ? { tags } : {}),
    });
    this.#counts.writes++;
    if (this.l2 === undefined) return;
    const now = this.#now();
    let text: string;
    try {
      text = encodeEnvelope(
        { storedAt: now, expiresAt: ttlMs === undefined ? undefined : now + ttlMs, tags, value },
        this.#codec,
      );
      if (this.#integrity) text = this.#integrity.sign(key, text);
    } catch (error) {
      this.#onError?.(error, "encode");
      return;
    }
    const store = this.l2;
    const outcome = await this.#guard.run(() =>
      store.set(key, text, {
        ...(ttlMs === undefined ? {} : { ttlMs }),
        ...(tags.length > 0 ? { tags } : {}),
      }),
    );
    if (!outcome.ok) this.#reportFailure(outcome, "set");
  }

  /**
   * The cached value, or `loader()`'s — called once however many callers
   * ask for a missing key at the same time — which is then stored, unless the
   * key was invalidated while it loaded (the same single-flight rule as
   * SmartCache: see `SingleFlight`).
   */
  async getOrLoad(
    key: string,
    loader: () => Promise<V>,
    options: TieredSetOptions = {},
  ): Promise<V> {
    const hit = await this.lookup(key);
    if (hit !== undefined) return hit.value;
    return (
      this.#flights.running(key) ??
      this.#flights.start(key, loader, (value) => this.set(key, value, options), {
        tags: options.tags,
      })
    );
  }

  /** Deletes from both levels (and, through the store, from other processes' L1). */
  async delete(key: string): Promise<boolean> {
    this.#epoch++;
    this.#flights.abandon(key);
    const local = this.l1.delete(key);
    const remote = await this.#invalidateL2({ type: "key", key });
    return local || remote > 0;
  }

  /** Deletes every key starting with `prefix` in both levels; counts per level. */
  async invalidatePrefix(prefix: string): Promise<{ l1: number; l2: number }> {
    this.#epoch++;
    this.#flights.abandonPrefix(prefix);
    const l1 = this.l1.invalidatePrefix(prefix);
    return { l1, l2: await this.#invalidateL2({ type: "prefix", prefix }) };
  }

  /** Deletes every entry stored with `tag` in both levels; counts per level. */
  async invalidateTag(tag: string): Promise<{ l1: number; l2: number }> {
    this.#epoch++;
    this.#flights.abandonTag(tag);
    const l1 = this.l1.invalidateTag(tag);
    return { l1, l2: await this.#invalidateL2({ type: "tag", tag }) };
  }

  async clear(): Promise<void> {
    this.#epoch++;
    this.#flights.abandonAll();
    this.l1.clear();
    await this.#invalidateL2({ type: "clear" });
  }

  stats(): TieredCacheStats {
    const c = this.#counts;
    return {
      l1: { hits: c.l1Hits, misses: c.l1Misses, corrupt: c.l1Corrupt },
      l2: {
        ...this.#guard.snapshot(),
        enabled: this.l2 !== undefined,
        hits: c.l2Hits,
        misses: c.l2Misses,
        writes: this.l2 === undefined ? 0 : c.writes,
        corrupt: c.corrupt,
      },
      remoteInvalidations: c.remote,
      pendingInvalidations: this.#pending.length,
    };
  }

  /** Stops listening to other processes and closes the L2 store. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    await this.l2?.close();
  }

  /** Applies one invalidation to L2; remembers it for replay when L2 is unreachable. */
  async #invalidateL2(invalidation: StoreInvalidation): Promise<number> {
    const store = this.l2;
    if (store === undefined) return 0;
    const outcome = await this.#guard.run(() => applyToStore(store, invalidation));
    if (outcome.ok) return outcome.value;
    this.#reportFailure(
      outcome,
      invalidation.type === "key" ? "delete" : `invalidate-${invalidation.type}`,
    );
    this.#remember(invalidation);
    return 0;
  }

  #remember(invalidation: StoreInvalidation): void {
    if (invalidation.type === "clear") this.#pending.length = 0; // a clear supersedes everything before it
    this.#pending.push(invalidation);
    if (this.#pending.length > MAX_PENDING_INVALIDATIONS) this.#pending.shift();
  }

  async #replayInvalidations(): Promise<void> {
    const store = this.l2;
    while (store !== undefined && this.#pending.length > 0) {
      const next = this.#pending[0]!;
      const outcome = await this.#guard.run(() => applyToStore(store, next));
      if (!outcome.ok) return; // still down: keep the rest for the next recovery
      this.#pending.shift();
    }
  }

  #applyRemote(invalidation: StoreInvalidation): void {
    this.#epoch++;
    this.#counts.remote++;
    switch (invalidation.type) {
      case "key":
        this.l1.delete(invalidation.key);
        break;
      case "prefix":
        this.l1.invalidatePrefix(invalidation.prefix);
        break;
      case "tag":
        this.l1.invalidateTag(invalidation.tag);
        break;
      case "clear":
        this.l1.clear();
        break;
    }
  }

  /** Stored text → envelope, through every check; a reason instead when any fails. */
  #decode(key: string, stored: unknown): { envelope: Envelope<V> } | { problem: string } {
    if (typeof stored !== "string")
      return { problem: `entry: expected text, got ${typeof stored}` };
    if (stored.length > this.#maxEntryBytes)
      return { problem: `entry: ${stored.length} characters, more than ${this.#maxEntryBytes}` };
    let body = stored;
    if (this.#integrity) {
      const opened = this.#integrity.open(key, stored);
      if ("problem" in opened) return opened;
      body = opened.body;
    } else {
      body = unsignedBody(stored);
    }
    let envelope: Envelope<V>;
    try {
      envelope = decodeEnvelope(body, this.#codec);
    } catch (error) {
      // JSON.parse quotes the text it choked on: report the kind of failure only.
      const why =
        error instanceof SyntaxError
          ? "not valid JSON"
          : error instanceof Error
            ? error.message
            : typeof error;
      return { problem: `envelope: ${why}` };
    }
    const problem = this.#validate?.(envelope.value);
    return problem === undefined ? { envelope } : { problem };
  }

  #corrupt(key: string, level: "l1" | "l2", reason: string): void {
    if (level === "l1") this.#counts.l1Corrupt++;
    else this.#counts.corrupt++;
    try {
      this.#onCorrupt?.({ key, level, reason });
    } catch {
      // A reporting callback must not turn a miss into a failed call.
    }
  }

  #reportFailure(outcome: { reason: string; error?: unknown }, operation: string): void {
    if (outcome.reason === "open") return; // not attempted: nothing new to report
    this.#onError?.(outcome.error ?? new Error(`L2 ${operation} timed out`), operation);
  }
}

async function applyToStore(store: CacheStore, invalidation: StoreInvalidation): Promise<number> {
  switch (invalidation.type) {
    case "key":
      return (await store.delete(invalidation.key)) ? 1 : 0;
    case "prefix":
      return store.deleteByPrefix ? store.deleteByPrefix(invalidation.prefix) : 0;
    case "tag":
      return store.deleteByTag ? store.deleteByTag(invalidation.tag) : 0;
    case "clear":
      await store.clear();
      return 0;
  }
}

/** The error's class only: a parser's message may quote the entry. */
const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);
