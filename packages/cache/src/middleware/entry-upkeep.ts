import type { L1Cache } from "../tiered/l1-cache.js";
import type { CorruptEntryEvent, TieredCache } from "../tiered/tiered-cache.js";

/**
 * The background writes and deletes of a cache front (answers, embeddings):
 * tracked so that `flush()` can wait for every one, started or not yet landed.
 */
export class BackgroundWrites {
  readonly #writes = new Set<Promise<void>>();

  track(write: Promise<void>): void {
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write));
  }

  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all([...this.#writes]);
  }
}

const noop = () => {};

/**
 * An entry read back unusable (damaged, forged, another version): reported once
 * to `onCorrupt` — a throwing callback must not fail the call — and deleted from
 * every level, in the background through a `TieredCache`.
 */
export function dropCorruptEntry<V>(
  event: CorruptEntryEvent,
  cache: TieredCache<V> | L1Cache<V>,
  tiered: TieredCache<V> | undefined,
  writes: BackgroundWrites,
  onCorrupt: ((event: CorruptEntryEvent) => void) | undefined,
): void {
  try {
    onCorrupt?.(event);
  } catch {
    // a reporting callback must not fail the call
  }
  if (tiered) writes.track(tiered.delete(event.key).then(noop, noop));
  else {
    try {
      cache.delete(event.key);
    } catch {
      // its eviction listener may decode it again; it is gone all the same
    }
  }
}
