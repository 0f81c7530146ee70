import { BaseCache } from "@langchain/core/caches";
import type { Generation } from "@langchain/core/outputs";
import type { SmartCache, TieredCache } from "@llm/cache";
import { hashedKey, joinPromptAndLLMString } from "./cache-key.js";
import { decodeGenerations, encodeGenerations } from "./generation-codec.js";
import {
  type GenerationLimits,
  type StoredGenerations,
  storedGenerationsProblem,
} from "./stored-generations.js";

/** Default bound of one stored entry, in characters of its JSON. */
export const DEFAULT_MAX_GENERATION_BYTES = 1024 * 1024;

export interface LLMKitCacheOptions {
  /**
   * Where entries live: a `TieredCache` (L1 + an L2 store: `MemoryStore`,
   * `SqliteStore`, `RedisStore`) or a bare `SmartCache`. `createLangChainCache`
   * builds one with the checks wired in.
   */
  cache: TieredCache<StoredGenerations> | SmartCache<StoredGenerations>;
  /** Prefix of every key (`"<namespace>:<sha256>"`): `invalidatePrefix("<namespace>:")` drops one app's entries. */
  namespace?: string;
  /** Time to live of stored entries. Default: the cache's own. */
  ttlMs?: number;
  /** Bounds on an entry read back (see `GenerationLimits`). */
  limits?: GenerationLimits;
  /** Largest entry stored, in characters of its JSON; larger ones are not cached. Default 1 MiB. */
  maxEntryBytes?: number;
  /** Told about every entry refused on read (then deleted and served as a miss): key and reason, never content. */
  onCorrupt?: (event: { key: string; reason: string }) => void;
  /** Told about every failure to store or read (`"lookup"`, `"update"`, or the L2 operation, already counted); the model call never fails because of the cache. */
  onError?: (error: unknown, operation: string) => void;
}

export interface LLMKitCacheStats {
  hits: number;
  misses: number;
  writes: number;
  /**
   * Entries this cache's own check refused on read (served as misses, deleted). L2 entries
   * that a `TieredCache`'s `validate` refused first never reach it: they are counted in
   * that cache's `stats().l2.corrupt` (both are reported to `onCorrupt`).
   */
  corrupt: number;
  /** Generations not stored: too big, not an AI message, or not plain JSON. */
  skipped: number;
  /** Lookups or updates that failed inside the cache (counted as misses / not stored). */
  errors: number;
}

/**
 * A LangChain `BaseCache` over llm-kit's caches: `new ChatOpenAI({ cache })`,
 * `new LLMKitChatModel({ client, cache })`, or any other LangChain model.
 *
 * Keys hash LangChain's prompt and LLM string together (`namespace:sha256`),
 * so nothing of either is stored in clear. Entries are stored compactly (see
 * `StoredGenerations`), bounded on the way in, and validated on the way out:
 * an entry that is damaged, forged or out of bounds is a miss — `lookup`
 * and `update` never throw.
 */
export class LLMKitCache extends BaseCache<Generation[]> {
  readonly #cache: TieredCache<StoredGenerations> | SmartCache<StoredGenerations>;
  readonly #namespace: string | undefined;
  readonly #ttlMs: number | undefined;
  readonly #limits: GenerationLimits;
  readonly #maxEntryBytes: number;
  readonly #onCorrupt: LLMKitCacheOptions["onCorrupt"];
  readonly #onError: LLMKitCacheOptions["onError"];
  readonly #stats: LLMKitCacheStats = {
    hits: 0,
    misses: 0,
    writes: 0,
    corrupt: 0,
    skipped: 0,
    errors: 0,
  };

  constructor(options: LLMKitCacheOptions) {
    super();
    this.#cache = options.cache;
    this.#namespace = options.namespace;
    this.#ttlMs = options.ttlMs;
    this.#limits = options.limits ?? {};
    this.#maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_GENERATION_BYTES;
    this.#onCorrupt = options.onCorrupt;
    this.#onError = options.onError;
    // LangChain's default joins with "_" (ambiguous) and is replaced; a custom
    // encoder set with `makeDefaultKeyEncoder` is still hashed by `keyOf`.
    this.keyEncoder = joinPromptAndLLMString;
  }

  /** The store key of a prompt and LLM string. */
  keyOf(prompt: string, llmString: string): string {
    return hashedKey(this.keyEncoder(prompt, llmString), this.#namespace);
  }

  async lookup(prompt: string, llmString: string): Promise<Generation[] | null> {
    let key: string | undefined;
    try {
      key = this.keyOf(prompt, llmString);
      const stored = await this.#cache.get(key);
      if (stored === undefined) {
        this.#stats.misses++;
        return null;
      }
      const problem = storedGenerationsProblem(stored, this.#limits);
      if (problem !== undefined) {
        this.#stats.corrupt++;
        this.#stats.misses++;
        this.#onCorrupt?.({ key, reason: problem });
        await this.#cache.delete(key);
        return null;
      }
      const generations = decodeGenerations(stored);
      this.#stats.hits++;
      return generations;
    } catch (error) {
      this.#stats.errors++;
      this.#stats.misses++;
      this.#report(error, "lookup");
      return null;
    }
  }

  async update(prompt: string, llmString: string, value: Generation[]): Promise<void> {
    try {
      const stored = encodeGenerations(value);
      const problem = storedGenerationsProblem(stored, this.#limits) ?? this.#sizeProblem(stored);
      if (problem !== undefined) {
        this.#stats.skipped++;
        this.#report(new RangeError(`not cached: ${problem}`), "update");
        return;
      }
      const key = this.keyOf(prompt, llmString);
      await this.#cache.set(key, stored, this.#ttlMs === undefined ? {} : { ttlMs: this.#ttlMs });
      this.#stats.writes++;
    } catch (error) {
      this.#stats.skipped++;
      this.#report(error, "update");
    }
  }

  stats(): LLMKitCacheStats {
    return { ...this.#stats };
  }

  #sizeProblem(stored: StoredGenerations): string | undefined {
    const bytes = JSON.stringify(stored).length;
    return bytes > this.#maxEntryBytes
      ? `entry: ${bytes} characters, more than the limit of ${this.#maxEntryBytes}`
      : undefined;
  }

  #report(error: unknown, operation: string): void {
    try {
      this.#onError?.(error, operation);
    } catch {
      // a listener that throws must not fail the model call
    }
  }
}
