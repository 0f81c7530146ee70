/**
 * Decoded values of the most-hit encoded entries, so a hot hit on a
 * compressed cache costs a map lookup instead of an inflate and a parse.
 *
 * Keyed by the encoded string itself: the cache hands back the very string
 * object it stores, whose hash V8 keeps after the first lookup, so a hit
 * neither hashes nor compares the text again. Equal texts decode to equal
 * values, so the key can never return a stale value; an entry the cache has
 * dropped simply ages out of here.
 *
 * Admission needs a second decode of the same text within a short memory
 * (a doorkeeper, as in TinyLFU): one-off decodes — an eviction listener, a
 * scan, a key read once — never displace the hot entries.
 *
 * Values are deep-frozen (kept or not, so hits behave alike): every hot hit
 * shares one, and a consumer that mutates its answer must not change the
 * next caller's.
 */
export interface HotValuesOptions {
  /** Values kept at most. Default 256. */
  maxEntries?: number;
  /** Estimated bytes of kept values (and their keys) at most. Default 4 MiB. */
  maxBytes?: number;
}

interface Kept<V> {
  value: V;
  bytes: number;
  /** Hit since it last came up for eviction (CLOCK's second chance). */
  referenced: boolean;
}

export class HotValues<V> {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  /** Insertion order; a hit only sets `referenced`, so it costs no map write. */
  readonly #kept = new Map<string, Kept<V>>();
  /** Texts decoded once recently; a second decode admits. */
  readonly #doorkeeper = new Set<string>();
  #bytes = 0;
  hits = 0;

  constructor(options: HotValuesOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 256;
    this.#maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  }

  get size(): number {
    return this.#kept.size;
  }

  /** Estimated bytes held (decoded values and their keys). */
  get bytes(): number {
    return this.#bytes;
  }

  get(encoded: string): V | undefined {
    const kept = this.#kept.get(encoded);
    if (kept === undefined) return undefined;
    this.hits++;
    kept.referenced = true;
    return kept.value;
  }

  /**
   * Offers a freshly decoded value; returns it deep-frozen, kept or not.
   * `decodedChars` is the length of its JSON text.
   */
  offer(encoded: string, value: V, decodedChars: number): V {
    // Frozen whether kept or not, so every hit behaves the same whatever its temperature.
    const frozen = deepFreeze(value);
    if (this.#maxEntries === 0) return frozen;
    if (!this.#doorkeeper.has(encoded)) {
      if (this.#doorkeeper.size >= this.#maxEntries * 4) this.#doorkeeper.clear();
      this.#doorkeeper.add(encoded);
      return frozen;
    }
    this.#doorkeeper.delete(encoded);
    // A decoded JSON graph takes about two to three times its text; the key is one byte a character.
    const bytes = decodedChars * 3 + encoded.length;
    if (bytes > this.#maxBytes) return frozen;
    this.#kept.set(encoded, { value: frozen, bytes, referenced: false });
    this.#bytes += bytes;
    this.#evict();
    return frozen;
  }

  /** Oldest first; an entry hit since its last turn goes to the back once instead (second chance). */
  #evict(): void {
    while (this.#kept.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const [oldest, kept] = this.#kept.entries().next().value as [string, Kept<V>];
      this.#kept.delete(oldest);
      if (kept.referenced) {
        kept.referenced = false;
        this.#kept.set(oldest, kept);
      } else {
        this.#bytes -= kept.bytes;
      }
    }
  }

  clear(): void {
    this.#kept.clear();
    this.#doorkeeper.clear();
    this.#bytes = 0;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
