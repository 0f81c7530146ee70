/**
 * One load per key at a time, shared by every caller that asks while it runs — the single
 * single-flight rule of @llm/cache, used by both SmartCache and TieredCache:
 *
 * - callers that arrive while a key's load runs join it and receive its value or its error;
 * - a load whose key is invalidated while it runs (delete, prefix, tag, clear) still answers
 *   the callers that joined it, but its value is NOT stored — it may predate the change the
 *   invalidation announced — and later callers start a fresh load instead of joining it;
 * - a failed load stores nothing.
 */
interface Flight<V> {
  promise: Promise<V>;
  readonly tags: readonly string[] | undefined;
  /** Cleared when the key is invalidated mid-load: the result must not resurrect it. */
  store: boolean;
}

export class SingleFlight<V> {
  readonly #flights = new Map<string, Flight<V>>();

  /** Loads in flight. */
  get size(): number {
    return this.#flights.size;
  }

  /** The running load of `key`, to join, if there is one. */
  running(key: string): Promise<V> | undefined {
    return this.#flights.get(key)?.promise;
  }

  /**
   * Starts `loader` for `key`; when it succeeds and the key was not invalidated meanwhile,
   * `store(value)` runs before the callers receive the value. `settled` runs once either way.
   */
  start(
    key: string,
    loader: () => Promise<V>,
    store: (value: V) => unknown,
    options: { tags?: readonly string[] | undefined; settled?: (ok: boolean) => void } = {},
  ): Promise<V> {
    let loading: Promise<V>;
    try {
      loading = Promise.resolve(loader());
    } catch (error) {
      loading = Promise.reject(error);
    }
    const flight: Flight<V> = { promise: loading, tags: options.tags, store: true };
    const finish = (ok: boolean) => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
      options.settled?.(ok);
    };
    flight.promise = loading.then(
      async (value) => {
        finish(true);
        if (flight.store) await store(value);
        return value;
      },
      (error: unknown) => {
        finish(false);
        throw error;
      },
    );
    this.#flights.set(key, flight);
    return flight.promise;
  }

  /** The key was invalidated: its running load, if any, will not be stored or joined. */
  abandon(key: string): void {
    const flight = this.#flights.get(key);
    if (flight === undefined) return;
    flight.store = false;
    this.#flights.delete(key);
  }

  abandonPrefix(prefix: string): void {
    for (const key of [...this.#flights.keys()]) if (key.startsWith(prefix)) this.abandon(key);
  }

  abandonTag(tag: string): void {
    for (const [key, flight] of [...this.#flights]) {
      if (flight.tags?.includes(tag)) this.abandon(key);
    }
  }

  abandonAll(): void {
    for (const key of [...this.#flights.keys()]) this.abandon(key);
  }
}
