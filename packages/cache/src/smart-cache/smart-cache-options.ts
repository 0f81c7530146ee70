import { ConfigError, type MemoryBudget } from "@llm/core";
import type { SmartCacheCodec } from "./codecs.js";

export type EvictionReason = "capacity" | "expired" | "deleted" | "shrink" | "rejected";
export type SmartCachePolicy = "w-tinylfu" | "lru";
/**
 * How the window adapts: "shadow-lru" (default) moves it by the evidence of a shadow LRU of
 * key hashes compared with each lookup (see `stepGain`); "hill-climber" is Caffeine's
 * sampled climber.
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
  /**
   * With the "shadow-lru" adaptation: when recency keeps beating frequency by a clear margin
   * (a hot-set shift), age the sketch at once and open the window wide. Off by default: it
   * recovers 0.2–3 points faster after a shift on the LLM workloads but costs up to 2 points
   * of hit rate on the held-out ARC traces, whose phase changes it mistakes for shifts (see
   * README, "Shift detection").
   */
  detectShifts?: boolean;
  /**
   * With the "shadow-lru" adaptation: how far an epoch whose wins lean one way beyond chance
   * moves the window, in multiples of its net evidence (default 8; a balanced epoch always
   * moves it by its net evidence). 8 takes in a new hot set within a few epochs after a
   * shift; 1 moves slowly, which keeps more of the frequency advantage on block-storage
   * traces with phase changes (ARC P2/P12 at 32,768 entries: +2.9 / +4.5 points) and
   * trails LRU longer after a hot-set shift (see README, "The policy"). At least 1.
   */
  stepGain?: number;
  /**
   * With the "shadow-lru" adaptation: keep ARC-style ghost lists of the keys admission
   * rejected and of those evicted from main (hashes only, touched on misses, never on a hit),
   * and while rejected keys keep coming back within LRU's reach, let recency lead: grow the
   * window per event, let LRU decide lost admission contests, and evict main's LRU-dropped
   * protected tail first. Default true; it takes in a new hot set faster after a shift (see
   * README, "The policy"). false: the epoch rule alone.
   */
  ghostFeedback?: boolean;
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

/** Throws a ConfigError naming every invalid option (path and reason). */
export function validateOptions<V>(options: SmartCacheOptions<V>): void {
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
  if (
    options.adaptation !== undefined &&
    options.adaptation !== "shadow-lru" &&
    options.adaptation !== "hill-climber"
  ) {
    issues.push({
      path: "adaptation",
      message: `must be "shadow-lru" or "hill-climber", got ${String(options.adaptation)}`,
    });
  }
  const gain = options.stepGain;
  if (gain !== undefined && !(gain >= 1 && Number.isFinite(gain))) {
    issues.push({ path: "stepGain", message: `must be a finite number ≥ 1, got ${String(gain)}` });
  }
  const initial = options.initialWindowFraction;
  if (initial !== undefined && !(initial > 0 && initial <= 1)) {
    issues.push({
      path: "initialWindowFraction",
      message: `must be in (0, 1], got ${String(initial)}`,
    });
  }
  if (issues.length > 0) throw new ConfigError("Invalid SmartCache options", { issues });
}
