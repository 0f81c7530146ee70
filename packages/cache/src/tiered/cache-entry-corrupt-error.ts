import { LLMError } from "@llm/core";

/**
 * A cache entry read back unusable (damaged, forged, too big, of another
 * version). Never thrown into a request — the entry is a miss — but handed
 * to `onError` for logs. The message names the key, level and the bad path,
 * never the entry's content.
 */
export class CacheEntryCorruptError extends LLMError {
  override readonly code: string = "CACHE_ENTRY_CORRUPT";
  readonly key: string;
  readonly level: "l1" | "l2";
  readonly reason: string;

  constructor(key: string, level: "l1" | "l2", reason: string) {
    super(`Corrupt ${level} cache entry ${key}: ${reason}`);
    this.key = key;
    this.level = level;
    this.reason = reason;
  }
}
