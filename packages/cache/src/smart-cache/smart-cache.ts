import { ConfigError, type MemoryBudget } from "@llm/core";
import { LRUCache } from "lru-cache";
import type { SmartCacheCodec } from "./codecs.js";
import { FrequencySketch } from "./frequency-sketch.js";
import { hashKey } from "./hash-key.js";
import { HillClimber } from "./hill-climber.js";
import { ShadowLru } from "./shadow-lru.js";
import { SingleFlight } from "./single-flight.js";
import { defaultSizeOf } from "./size-of.js";

export type EvictionReason = "capacity" | "expired" | "deleted" | "shrink" | "rejected";
export type SmartCachePolicy = "w-tinylfu" | "lru";
/**
 * How the window adapts: "shadow-lru" (default) nudges it one entry at a time by comparing
 * each lookup with a shadow LRU of key hashes; "hill-climber" is Caffeine's sampled climber.
 */
export type SmartCacheAdaptation = "shadow-lru" | "hill-climber";

export interface SmartCacheOptions<V> {
  /** Upper bound on entries. At least one of `maxEntries` / `maxBytes` is required. */
  maxEntries?: number;
  /** Upper bound on the bytes of all entries, as `sizeOf` accounts them. */
  maxBytes?: number;
  /** Bytes of one entry (value and key). Default: a conservative estimate of the V8 heap it occupies. */
  sizeOf?: (value: V, key: string) => number;
  /** Default time to live; `set()` and `getOrLoad()` may override it per entry. 0 / absent: no expiry. */
  ttlMs?: number;
  /** Default "w-tinylfu"; "lru" is plain recency, for comparison. */
  policy?: SmartCachePolicy;
  /** Adapt the admission window to the workload (default true). */
  adaptive?: boolean;
  /** The adaptation method (default "shadow-lru"); see `SmartCacheAdaptation`. */
  adaptation?: SmartCacheAdaptation;
  /** The admission window's starting share of capacity (default 0.01, at most 0.8). */
  initialWindowFraction?: number;
  /** How long past its TTL an entry may still be served by `getOrLoad` while it is refreshed in the background. */
  staleWhileRevalidateMs?: number;
  /** Registers the cache as a MemoryConsumer so memory pressure can shrink it. */
  memory?: MemoryBudget;
  name?: string;
  /** MemoryConsumer priority: lower is shrunk first. Default 0. */
  priority?: number;
  /** Clock in milliseconds, injectable for tests. Default `performance.now()`. */
  now?: () => number;
  /**
   * Store values encoded (e.g. `compressedJsonCodec()`): less heap per entry, a decode per
   * hit. Without a custom `sizeOf`, an entry's bytes are those of its encoded form.
   */
  codec?: SmartCacheCodec<V>;
  /** Called once for every entry that leaves the cache, with why. */
  onEvict?: (key: string, value: V, reason: EvictionReason) => void;
}

export interface SmartCacheSetOptions {
  ttlMs?: number;
  tags?: string[];
  /** Bytes of the entry, instead of `sizeOf`. */
  size?: number;
}

export interface SmartCacheLoadOptions {
  ttlMs?: number;
  tags?: string[];
}

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

/** lru-cache forbids undefined and null values by type; we store any V but undefined. */
type Stored = NonNullable<unknown>;
type Region = LRUCache<string, Stored>;

const INITIAL_WINDOW = 0.01;
/** Window + protected share of capacity stays constant (Caffeine): probation keeps the rest. */
const WINDOW_PLUS_PROTECTED = INITIAL_WINDOW + 0.8 * (1 - INITIAL_WINDOW);
/**
 * The window may take nearly everything: past WINDOW_PLUS_PROTECTED protected is empty and
 * SmartCache is an LRU with a 1% probation filter, which is what recency-only traces
 * (zigzag, backf) want.
 */
const MAX_WINDOW = 0.99;
/** Shadow-LRU steering: a frequency win shrinks the window by half an entry, a recency win grows it by one. */
const SHRINK_WEIGHT = 0.5;
const MIN_SHADOW = 16;
/** Caffeine admits a warm candidate that lost at random, 1 in 128, so an attacker cannot pin a victim. */
const HASH_DOS_THRESHOLD = 6;
/**
 * The shadow-LRU evidence is weighed once per epoch of EPOCH_SHARE × capacity lookups (at
 * least MIN_EPOCH): the window moves by the epoch's net evidence — recency wins minus half
 * the frequency wins, in entries — so a burst of evidence moves it as far as the evidence
 * goes, and a quiet epoch does not move it at all.
 */
const EPOCH_SHARE = 0.25;
const MIN_EPOCH = 64;
/**
 * The window never shrinks below 0.5% of capacity (or one entry). A new entry must live in
 * the window long enough to show a second access before it faces admission; with a
 * one-entry window every newcomer is judged on a count of one against a victim whose count
 * is inflated by count-min noise, and large caches lost over a point to a fixed 1% window.
 */
const WINDOW_FLOOR = 0.005;
/** lru-cache reads a TTL start of 0 as "no TTL"; offset the clock so an injected clock may start at 0. */
const CLOCK_OFFSET = 1;
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

// Reused option objects: lru-cache allocates a default `{}` per call otherwise.
const GET_OPTIONS: LRUCache.GetOptions<string, Stored, unknown> = {};
const PEEK_OPTIONS: LRUCache.PeekOptions<string, Stored, unknown> = {};
const PEEK_STALE: LRUCache.PeekOptions<string, Stored, unknown> = { allowStale: true };
const HAS_OPTIONS: LRUCache.HasOptions<string, Stored, unknown> = {};

/**
 * A bounded in-memory cache with W-TinyLFU admission (after Caffeine): new entries enter a
 * small LRU window; the window's victims must beat the main region's coldest entry on
 * estimated frequency (a 4-bit count-min sketch) to get in, so one-hit wonders and scans
 * cannot flush the hot set. The main region is a segmented LRU (probation 20%, protected
 * 80%). The window is resized by comparing every lookup with a shadow LRU of key hashes, so
 * recency-heavy workloads keep LRU's hit rate (or, optionally, by Caffeine's hill climber).
 * Each region is an `lru-cache` instance, which holds values, sizes and TTLs in flat arrays.
 */
export class SmartCache<V> {
  readonly #window: Region;
  readonly #probation: Region;
  readonly #protected: Region;
  readonly #lru: boolean;
  readonly #adaptive: boolean;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #trackBytes: boolean;
  readonly #sizeOf: ((value: V, key: string) => number) | undefined;
  readonly #codec: SmartCacheCodec<V> | undefined;
  readonly #ttlMs: number;
  readonly #swrMs: number;
  readonly #now: () => number;
  readonly #onEvict: ((key: string, value: V, reason: EvictionReason) => void) | undefined;
  readonly #sketch: FrequencySketch;
  readonly #climber: HillClimber | undefined;
  #shadow: ShadowLru | undefined;
  readonly #flights = new SingleFlight<V>();
  readonly #tagIndex = new Map<string, Set<string>>();
  readonly #keyTags = new Map<string, string[]>();
  #unregister: (() => void) | undefined;
  #ttlUsed = false;
  #random = 0x2545f491;

  #windowFraction = INITIAL_WINDOW;
  readonly #minimumWindow: number;
  #windowMaxEntries = 0;
  #windowMaxBytes = 0;
  #protectedMaxEntries = 0;
  #protectedMaxBytes = 0;

  #recencyWins = 0;
  #frequencyWins = 0;
  #epochLeft = 1;
  #epochLength = 1;
  #hits = 0;
  #misses = 0;
  #sets = 0;
  #nextClimb = 0;
  #sampleHits = 0;
  #sampleMisses = 0;
  #loads = 0;
  #loadErrors = 0;
  #loadTimeMs = 0;
  #coalesced = 0;
  #staleServed = 0;
  #refusedTooLarge = 0;
  #refusedFrequency = 0;
  readonly #evictions: Record<EvictionReason, number> = {
    capacity: 0,
    expired: 0,
    deleted: 0,
    shrink: 0,
    rejected: 0,
  };

  constructor(options: SmartCacheOptions<V>) {
    validate(options);
    this.#maxEntries = Math.floor(options.maxEntries ?? Number.POSITIVE_INFINITY);
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#trackBytes =
      options.maxBytes !== undefined ||
      options.sizeOf !== undefined ||
      options.memory !== undefined;
    this.#sizeOf = options.sizeOf;
    this.#codec = options.codec;
    this.#ttlMs = options.ttlMs ?? 0;
    this.#swrMs = options.staleWhileRevalidateMs ?? 0;
    this.#lru = options.policy === "lru";
    this.#adaptive = !this.#lru && options.adaptive !== false;
    this.#onEvict = options.onEvict;
    const now = options.now ?? performance.now.bind(performance);
    this.#now = now;

    const injected = options.now !== undefined;
    const perf = { now: () => now() + CLOCK_OFFSET };
    const onDispose = (value: Stored, key: string, reason: LRUCache.DisposeReason) => {
      // Only expiry happens inside lru-cache; every other removal is ours and reported by us.
      if (reason === "expire") this.#removed(key, value, "expired");
    };
    const region = (): Region =>
      new LRUCache<string, Stored>({
        // Bounds are enforced across regions by this class; each region only keeps order,
        // sizes and TTLs.
        maxSize: MAX_SIZE,
        perf,
        // A real clock is read at most once per ms; an injected one every time.
        ttlResolution: injected ? 0 : 1,
        ttlAutopurge: false,
        dispose: onDispose,
      });
    this.#window = region();
    this.#probation = region();
    this.#protected = region();

    const capacity = Number.isFinite(this.#maxEntries) ? this.#maxEntries : 1024;
    // One entry's share (a byte-bounded cache assumes ~1024 entries until it learns better).
    this.#minimumWindow = Math.max(WINDOW_FLOOR, 1 / capacity);
    this.#epochLength = Math.max(MIN_EPOCH, Math.round(capacity * EPOCH_SHARE));
    this.#epochLeft = this.#epochLength;
    this.#sketch = new FrequencySketch(capacity);
    if (this.#adaptive) {
      if (options.adaptation === "hill-climber") this.#climber = new HillClimber();
      // A byte-bounded cache learns its entry count as it fills (see #followEntryCount).
      else
        this.#shadow = new ShadowLru(
          Number.isFinite(this.#maxBytes) ? Math.min(capacity, MIN_SHADOW) : capacity,
        );
    }
    this.#nextClimb = this.#climbSample();
    this.#applyWindowFraction(
      this.#lru ? 1 : Math.min(MAX_WINDOW, options.initialWindowFraction ?? INITIAL_WINDOW),
    );

    if (options.memory) {
      this.#unregister = options.memory.register({
        name: options.name ?? "smart-cache",
        priority: options.priority ?? 0,
        bytes: () => this.bytes,
        shrink: (bytes: number) => this.shrink(bytes),
      });
    }
  }

  /** Entries held, including expired ones not yet purged. */
  get size(): number {
    return this.#window.size + this.#probation.size + this.#protected.size;
  }

  /** Accounted bytes (0 when neither `maxBytes`, `sizeOf` nor `memory` is configured). */
  get bytes(): number {
    if (!this.#trackBytes) return 0;
    return (
      this.#window.calculatedSize + this.#probation.calculatedSize + this.#protected.calculatedSize
    );
  }

  /** The value, if present and fresh; counts a hit or a miss and the key's frequency. */
  get(key: string): V | undefined {
    let value: Stored | undefined;
    let region: Region;
    if (this.#lru) {
      region = this.#window;
      value = region.get(key, GET_OPTIONS);
    } else {
      region = this.#protected;
      value = region.get(key, GET_OPTIONS);
      if (value === undefined) {
        region = this.#window;
        value = region.get(key, GET_OPTIONS);
        if (value === undefined) {
          region = this.#probation;
          value = region.get(key, GET_OPTIONS);
          if (value !== undefined && !this.#isSoftStale(region, key)) {
            this.#promote(key);
            region = this.#protected;
          }
        }
      }
      const hash = hashKey(key);
      this.#sketch.increment(hash);
      const shadow = this.#shadow;
      if (shadow !== undefined) {
        // LRU would have hit where we missed: recency pays, grow the window by one entry.
        // We hit where LRU would have missed: frequency pays, shrink it by half an entry
        // (asymmetric, because frequency's wins are worth more on most workloads).
        const lruHit = shadow.touch(hash);
        if (value === undefined) {
          if (lruHit) this.#recencyWins++;
        } else if (!lruHit) this.#frequencyWins++;
        if (--this.#epochLeft === 0) this.#endEpoch();
      }
    }
    if (value !== undefined && this.#swrMs > 0 && this.#isSoftStale(region, key)) {
      value = undefined;
    }
    if (value === undefined) this.#misses++;
    else this.#hits++;
    if (this.#hits + this.#misses >= this.#nextClimb) this.#climb();
    return value === undefined ? undefined : this.#decode(value);
  }

  /** The value, if present and fresh, without touching stats, frequency or recency. */
  peek(key: string): V | undefined {
    const region = this.#regionOf(key);
    if (region === undefined) return undefined;
    const value = region.peek(key, PEEK_OPTIONS);
    if (value === undefined || this.#isSoftStale(region, key)) return undefined;
    return this.#decode(value);
  }

  has(key: string): boolean {
    const region = this.#regionOf(key);
    return region?.has(key, HAS_OPTIONS) === true && !this.#isSoftStale(region, key);
  }

  /**
   * Stores a value. Returns false when it is refused: bigger than the whole byte budget, or
   * immediately rejected by admission (it did not fit in the window and lost to main's victim).
   */
  set(key: string, value: V, options?: SmartCacheSetOptions): boolean {
    if (value === undefined) {
      throw new TypeError(`SmartCache.set("${key}"): undefined cannot be cached; use delete()`);
    }
    const stored: Stored =
      this.#codec === undefined ? (value as Stored) : this.#codec.encode(value);
    const size = this.#trackBytes
      ? Math.max(1, Math.ceil(options?.size ?? this.#bytesFor(value, stored, key)))
      : 1;
    if (size > this.#maxBytes) {
      this.#refusedTooLarge++;
      this.delete(key);
      return false;
    }
    this.#sets++;
    const ttlMs = options?.ttlMs ?? this.#ttlMs;
    const ttl = ttlMs > 0 ? Math.ceil(ttlMs + this.#swrMs) : 0;
    if (ttl > 0) this.#ttlUsed = true;
    const setOptions = { size, ttl };
    const existing = this.#regionOf(key);
    if (existing === undefined) {
      this.#window.set(key, stored, setOptions);
    } else {
      existing.set(key, stored, setOptions);
    }
    this.#untag(key);
    const tags = options?.tags;
    if (tags !== undefined && tags.length > 0) this.#tag(key, tags);
    if (Number.isFinite(this.#maxBytes)) this.#followEntryCount();
    this.#maintain();
    return this.#regionOf(key) !== undefined;
  }

  /**
   * The cached value, or the loader's. Concurrent callers for one missing key share a single
   * load; a failed load is not cached and every waiter receives its error. With
   * `staleWhileRevalidateMs`, an expired entry still inside that window is returned at once
   * while one background load refreshes it.
   */
  getOrLoad(key: string, loader: () => Promise<V>, options?: SmartCacheLoadOptions): Promise<V> {
    const value = this.get(key);
    if (value !== undefined) return Promise.resolve(value);
    const flight = this.#flights.running(key);
    if (this.#swrMs > 0) {
      const stale = this.#peekStale(key);
      if (stale !== undefined) {
        this.#staleServed++;
        if (flight === undefined) this.#load(key, loader, options).catch(ignore);
        return Promise.resolve(stale);
      }
    }
    if (flight !== undefined) {
      this.#coalesced++;
      return flight;
    }
    return this.#load(key, loader, options);
  }

  delete(key: string): boolean {
    this.#flights.abandon(key);
    for (const region of this.#regions()) {
      const value = region.peek(key, PEEK_STALE);
      if (value !== undefined) {
        region.delete(key);
        this.#removed(key, value, "deleted");
        return true;
      }
    }
    return false;
  }

  /** Deletes every key starting with `prefix`; loads in flight for them will not be stored. */
  invalidatePrefix(prefix: string): number {
    this.#flights.abandonPrefix(prefix);
    const keys: string[] = [];
    for (const region of this.#regions()) {
      for (const key of allKeys(region)) if (key.startsWith(prefix)) keys.push(key);
    }
    let count = 0;
    for (const key of keys) if (this.delete(key)) count++;
    return count;
  }

  /** Deletes every entry stored with `tag`; loads in flight with that tag will not be stored. */
  invalidateTag(tag: string): number {
    this.#flights.abandonTag(tag);
    const keys = this.#tagIndex.get(tag);
    if (keys === undefined) return 0;
    let count = 0;
    for (const key of [...keys]) if (this.delete(key)) count++;
    return count;
  }

  /** Removes every entry (reported as "deleted"); loads in flight will not be stored. */
  clear(): void {
    this.#flights.abandonAll();
    for (const region of this.#regions()) {
      const entries: Array<[string, Stored]> = [];
      if (this.#onEvict !== undefined) {
        for (const key of allKeys(region)) {
          const value = region.peek(key, PEEK_STALE);
          if (value !== undefined) entries.push([key, value]);
        }
      }
      this.#evictions.deleted += region.size;
      region.clear();
      for (const [key, value] of entries) this.#onEvict?.(key, this.#decode(value), "deleted");
    }
    this.#tagIndex.clear();
    this.#keyTags.clear();
    this.#sketch.clear();
  }

  /**
   * Releases at least `bytes` if it can: expired entries first, then the coldest (probation,
   * then window, then protected, each least recently used first). Returns the bytes released.
   */
  shrink(bytes: number): number {
    if (!this.#trackBytes || bytes <= 0) return 0;
    const before = this.bytes;
    if (this.#ttlUsed) for (const region of this.#regions()) region.purgeStale();
    for (const region of [this.#probation, this.#window, this.#protected]) {
      while (before - this.bytes < bytes && region.size > 0) {
        this.#evictOldest(region, "shrink");
      }
    }
    return before - this.bytes;
  }

  stats(): SmartCacheStats {
    const lookups = this.#hits + this.#misses;
    const stats: SmartCacheStats = {
      policy: this.#lru ? "lru" : "w-tinylfu",
      hits: this.#hits,
      misses: this.#misses,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
      sets: this.#sets,
      evictions: { ...this.#evictions },
      admissionsRefused: { tooLarge: this.#refusedTooLarge, frequency: this.#refusedFrequency },
      entries: this.size,
      bytes: this.bytes,
      loads: this.#loads,
      loadErrors: this.#loadErrors,
      loadTimeMs: {
        total: this.#loadTimeMs,
        mean: this.#loads === 0 ? 0 : this.#loadTimeMs / this.#loads,
      },
      coalesced: this.#coalesced,
      staleServed: this.#staleServed,
      window: {
        entries: this.#window.size,
        bytes: this.#trackBytes ? this.#window.calculatedSize : 0,
        fraction: this.#windowFraction,
      },
    };
    if (Number.isFinite(this.#maxBytes)) stats.maxBytes = this.#maxBytes;
    if (Number.isFinite(this.#maxEntries)) stats.maxEntries = this.#maxEntries;
    return stats;
  }

  /** Unregisters from the memory budget. The cache stays usable. */
  dispose(): void {
    this.#unregister?.();
    this.#unregister = undefined;
  }

  // ---------------------------------------------------------------------------------------

  #regions(): Region[] {
    return [this.#window, this.#probation, this.#protected];
  }

  /** The region holding the key, fresh or expired. */
  #regionOf(key: string): Region | undefined {
    if (this.#protected.peek(key, PEEK_STALE) !== undefined) return this.#protected;
    if (this.#window.peek(key, PEEK_STALE) !== undefined) return this.#window;
    if (this.#probation.peek(key, PEEK_STALE) !== undefined) return this.#probation;
    return undefined;
  }

  /** Past its TTL but inside the stale-while-revalidate grace (its lru-cache TTL includes the grace). */
  #isSoftStale(region: Region, key: string): boolean {
    return this.#swrMs > 0 && region.getRemainingTTL(key) <= this.#swrMs;
  }

  #peekStale(key: string): V | undefined {
    const region = this.#regionOf(key);
    if (region === undefined) return undefined;
    const value = region.peek(key, PEEK_OPTIONS);
    return value === undefined ? undefined : this.#decode(value);
  }

  #load(key: string, loader: () => Promise<V>, options?: SmartCacheLoadOptions): Promise<V> {
    const started = this.#now();
    this.#loads++;
    return this.#flights.start(key, loader, (value) => this.set(key, value, options), {
      tags: options?.tags,
      settled: (ok) => {
        this.#loadTimeMs += this.#now() - started;
        if (!ok) this.#loadErrors++;
      },
    });
  }

  /**
   * Probation hit: the entry has proven itself; move it to protected. Protected's overflow is
   * demoted on the next write (as Caffeine does in its maintenance), which keeps a read
   * cheap and lets a read-only phase settle with every hot entry protected.
   */
  #promote(key: string): void {
    this.#move(this.#probation, this.#protected, key);
  }

  #demoteProtectedOverflow(): void {
    const prot = this.#protected;
    while (
      prot.size > 0 &&
      (prot.size > this.#protectedMaxEntries || this.#bytesOf(prot) > this.#protectedMaxBytes)
    ) {
      const key = oldestKey(prot);
      if (key === undefined) break;
      this.#move(prot, this.#probation, key);
    }
  }

  /** Moves an entry to the MRU end of another region, keeping its size and remaining TTL. */
  #move(from: Region, to: Region, key: string): boolean {
    const entry = from.info(key);
    if (entry === undefined) return false;
    from.delete(key);
    if (entry.ttl !== undefined && entry.ttl <= 0) {
      this.#removed(key, entry.value, "expired");
      return false;
    }
    to.set(key, entry.value, { size: entry.size ?? 1, ttl: entry.ttl ?? 0 });
    return true;
  }

  #bytesOf(region: Region): number {
    return this.#trackBytes ? region.calculatedSize : 0;
  }

  #mainEntries(): number {
    return this.#probation.size + this.#protected.size;
  }

  #mainBytes(): number {
    return this.#bytesOf(this.#probation) + this.#bytesOf(this.#protected);
  }

  #overCapacity(): boolean {
    return this.size > this.#maxEntries || this.bytes > this.#maxBytes;
  }

  /** Restores every bound after a write: window overflow goes through admission into main. */
  #maintain(): void {
    const win = this.#window;
    if (!this.#lru) {
      while (
        win.size > 0 &&
        (win.size > this.#windowMaxEntries || this.#bytesOf(win) > this.#windowMaxBytes)
      ) {
        const candidate = oldestKey(win);
        if (candidate === undefined) break;
        this.#admit(candidate);
      }
      this.#demoteProtectedOverflow();
    }
    while (this.#overCapacity()) {
      const region =
        this.#probation.size > 0
          ? this.#probation
          : this.#window.size > 0
            ? this.#window
            : this.#protected;
      if (!this.#evictOldest(region, "capacity")) break;
    }
  }

  /**
   * TinyLFU: the window's victim enters main if there is room, or if it is estimated more
   * frequent than main's coldest entry (which is then evicted); otherwise it is dropped.
   */
  #admit(candidate: string): void {
    const entry = this.#window.info(candidate);
    if (entry === undefined) return;
    this.#window.delete(candidate);
    if (entry.ttl !== undefined && entry.ttl <= 0) {
      this.#removed(candidate, entry.value, "expired");
      return;
    }
    const size = entry.size ?? 1;
    const mainMaxEntries = this.#maxEntries - this.#windowMaxEntries;
    const mainMaxBytes = this.#maxBytes - this.#windowMaxBytes;
    let candidateFrequency = -1;
    let candidateHash = 0;
    while (
      this.#mainEntries() + 1 > mainMaxEntries ||
      (this.#trackBytes && this.#mainBytes() + size > mainMaxBytes)
    ) {
      const victimRegion = this.#probation.size > 0 ? this.#probation : this.#protected;
      if (victimRegion.size === 0) break;
      const victim = oldestKey(victimRegion);
      if (victim === undefined) break;
      if (this.#ttlUsed && victimRegion.getRemainingTTL(victim) <= 0) {
        this.#evictKey(victimRegion, victim, "expired");
        continue;
      }
      if (candidateFrequency < 0) {
        candidateHash = hashKey(candidate);
        candidateFrequency = this.#sketch.frequency(candidateHash);
      }
      const victimHash = hashKey(victim);
      const victimFrequency = this.#sketch.frequency(victimHash);
      if (candidateFrequency > victimFrequency || this.#admitAtRandom(candidateFrequency)) {
        this.#evictKey(victimRegion, victim, "capacity");
      } else {
        this.#refusedFrequency++;
        this.#removed(candidate, entry.value, "rejected");
        return;
      }
    }
    this.#probation.set(candidate, entry.value, { size, ttl: entry.ttl ?? 0 });
  }

  #admitAtRandom(candidateFrequency: number): boolean {
    if (candidateFrequency < HASH_DOS_THRESHOLD) return false;
    // xorshift32: deterministic across runs, cheap, good enough to pick 1 in 128.
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    return (x & 127) === 0;
  }

  #evictOldest(region: Region, reason: EvictionReason): boolean {
    const key = oldestKey(region);
    if (key === undefined) return false;
    this.#evictKey(region, key, reason);
    return true;
  }

  #evictKey(region: Region, key: string, reason: EvictionReason): void {
    const value = region.peek(key, PEEK_STALE);
    region.delete(key);
    if (value !== undefined) this.#removed(key, value, reason);
  }

  #removed(key: string, stored: Stored, reason: EvictionReason): void {
    this.#evictions[reason]++;
    this.#untag(key);
    if (this.#onEvict !== undefined) this.#onEvict(key, this.#decode(stored), reason);
  }

  #decode(stored: Stored): V {
    return this.#codec === undefined ? (stored as V) : this.#codec.decode(stored as string);
  }

  /** An entry's bytes: the caller's `sizeOf`, else an estimate of what is actually stored. */
  #bytesFor(value: V, stored: Stored, key: string): number {
    if (this.#sizeOf !== undefined) return this.#sizeOf(value, key);
    return defaultSizeOf(stored, key);
  }

  #tag(key: string, tags: string[]): void {
    this.#keyTags.set(key, tags);
    for (const tag of tags) {
      let keys = this.#tagIndex.get(tag);
      if (keys === undefined) {
        keys = new Set();
        this.#tagIndex.set(tag, keys);
      }
      keys.add(key);
    }
  }

  #untag(key: string): void {
    if (this.#keyTags.size === 0) return;
    const tags = this.#keyTags.get(key);
    if (tags === undefined) return;
    this.#keyTags.delete(key);
    for (const tag of tags) {
      const keys = this.#tagIndex.get(tag);
      if (keys === undefined) continue;
      keys.delete(key);
      if (keys.size === 0) this.#tagIndex.delete(tag);
    }
  }

  /** One hill-climbing step per sample (adaptation "hill-climber"). */
  #climb(): void {
    const hits = this.#hits - this.#sampleHits;
    const misses = this.#misses - this.#sampleMisses;
    this.#sampleHits = this.#hits;
    this.#sampleMisses = this.#misses;
    this.#nextClimb = this.#hits + this.#misses + this.#climbSample();
    // Like Caffeine, adapt only once the cache is full enough for the sample to mean something.
    if (this.#climber === undefined || !this.#nearlyFull()) return;
    this.#resizeWindow(this.#climber.adjust(hits, misses), true);
  }

  #climbSample(): number {
    return this.#climber === undefined ? Number.POSITIVE_INFINITY : this.#sketch.sampleSize;
  }

  /** The window's share of capacity moved by `entries` entries (negative shrinks it). */
  /** Moves the window by the epoch's net evidence (see EPOCH_SHARE). */
  #endEpoch(): void {
    const net = this.#recencyWins - SHRINK_WEIGHT * this.#frequencyWins;
    this.#recencyWins = 0;
    this.#frequencyWins = 0;
    this.#epochLeft = this.#epochLength;
    if (net !== 0) this.#nudgeWindow(net);
  }

  #nudgeWindow(entries: number): void {
    const capacity = Number.isFinite(this.#maxEntries) ? this.#maxEntries : Math.max(64, this.size);
    this.#resizeWindow(entries / capacity, false);
  }

  /**
   * `fillNow`: a larger window takes main's coldest entries at once (Caffeine's
   * increaseWindow; the climber judges a move by the next sample's hit rate, so the move must
   * take effect now). The shadow-LRU strategy grows it lazily instead: moving main's coldest
   * entries to the window's most recent end would shield stale entries from eviction just
   * when recency is winning; the window fills with new arrivals while main sheds its coldest.
   */
  #resizeWindow(delta: number, fillNow: boolean): void {
    const next = Math.min(MAX_WINDOW, Math.max(this.#minimumWindow, this.#windowFraction + delta));
    if (next === this.#windowFraction) return;
    const grew = next > this.#windowFraction;
    this.#applyWindowFraction(next);
    if (grew && fillNow) this.#fillWindow();
    this.#maintainAfterShrinkingWindow();
  }

  /**
   * Byte-bounded caches learn their entry capacity as they fill: the sketch and the shadow
   * LRU are resized to the entries actually held (Caffeine sizes its sketch the same way).
   */
  #followEntryCount(): void {
    const size = this.size;
    if (!Number.isFinite(this.#maxEntries) && size > this.#sketch.capacity) {
      this.#sketch.ensureCapacity(size * 2);
      this.#nextClimb = this.#hits + this.#misses + this.#climbSample();
    }
    // The shadow LRU must hold as many entries as we do, or it would flatter (or slight)
    // recency: grow it while filling, and fit it again once the byte budget binds.
    const shadow = this.#shadow;
    if (shadow === undefined) return;
    const full = this.bytes >= 0.9 * this.#maxBytes;
    if (size > shadow.capacity || (full && shadow.capacity > size * 1.1)) {
      const capacity = Math.min(this.#maxEntries, Math.max(MIN_SHADOW, Math.ceil(size * 1.05)));
      if (capacity !== shadow.capacity) this.#shadow = new ShadowLru(capacity);
    }
  }

  #nearlyFull(): boolean {
    return this.size >= this.#maxEntries / 2 || this.bytes >= this.#maxBytes / 2;
  }

  #applyWindowFraction(fraction: number): void {
    this.#windowFraction = fraction;
    const protectedFraction = this.#lru ? 0 : Math.max(0, WINDOW_PLUS_PROTECTED - fraction);
    this.#windowMaxEntries = quota(this.#maxEntries, fraction);
    this.#windowMaxBytes = quota(this.#maxBytes, fraction);
    this.#protectedMaxEntries = Math.floor(protectedFraction * this.#maxEntries);
    this.#protectedMaxBytes = Math.floor(protectedFraction * this.#maxBytes);
  }

  /** A larger window takes main's coldest entries (probation first), as Caffeine's increaseWindow does. */
  #fillWindow(): void {
    this.#demoteProtectedOverflow();
    const win = this.#window;
    while (win.size < this.#windowMaxEntries && this.#bytesOf(win) < this.#windowMaxBytes) {
      const from = this.#probation.size > 0 ? this.#probation : this.#protected;
      const key = oldestKey(from);
      if (key === undefined) break;
      this.#move(from, win, key);
    }
  }

  /** A smaller window hands its oldest entries to probation without an admission contest. */
  #maintainAfterShrinkingWindow(): void {
    const win = this.#window;
    while (
      win.size > 0 &&
      (win.size > this.#windowMaxEntries || this.#bytesOf(win) > this.#windowMaxBytes)
    ) {
      const key = oldestKey(win);
      if (key === undefined) break;
      this.#move(win, this.#probation, key);
    }
    this.#demoteProtectedOverflow();
  }
}

function quota(maximum: number, fraction: number): number {
  if (!Number.isFinite(maximum)) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.round(maximum * fraction));
}

/** The least recently used key of a region, expired or not. */
function oldestKey(region: Region): string | undefined {
  // rkeys() skips expired entries unless the instance allows stale reads; expired entries
  // must be found too, or they would pile up at the cold end unseen.
  region.allowStale = true;
  try {
    return region.rkeys().next().value ?? undefined;
  } finally {
    region.allowStale = false;
  }
}

function allKeys(region: Region): string[] {
  region.allowStale = true;
  try {
    return [...region.keys()];
  } finally {
    region.allowStale = false;
  }
}

function ignore(): void {}

function validate<V>(options: SmartCacheOptions<V>): void {
  const issues: Array<{ path: string; message: string }> = [];
  const positive = (path: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      issues.push({ path, message: `must be a positive finite number, got ${String(value)}` });
    }
  };
  if (options.maxEntries === undefined && options.maxBytes === undefined) {
    issues.push({ path: "maxEntries", message: "set maxEntries, maxBytes or both" });
  }
  positive("maxEntries", options.maxEntries);
  positive("maxBytes", options.maxBytes);
  if (options.ttlMs !== undefined && !(options.ttlMs >= 0)) {
    issues.push({ path: "ttlMs", message: `must be >= 0, got ${String(options.ttlMs)}` });
  }
  if (options.staleWhileRevalidateMs !== undefined && !(options.staleWhileRevalidateMs >= 0)) {
    issues.push({
      path: "staleWhileRevalidateMs",
      message: `must be >= 0, got ${String(options.staleWhileRevalidateMs)}`,
    });
  }
  if (options.policy !== undefined && options.policy !== "lru" && options.policy !== "w-tinylfu") {
    issues.push({
      path: "policy",
      message: `must be "w-tinylfu" or "lru", got ${String(options.policy)}`,
    });
  }
  if (issues.length > 0) throw new ConfigError("Invalid SmartCache options", { issues });
}
