/**
 * A tiny typed event emitter. Unlike `node:events`, an "error" event with no
 * listener is dropped instead of thrown: a misbehaving cache must never crash
 * the process through the memory manager.
 */
export type Listener<A extends unknown[]> = (...args: A) => void;

export class TypedEmitter<Events extends { [K in keyof Events]: unknown[] }> {
  // Stored untyped: each set only ever holds listeners of its own event.
  readonly #listeners = new Map<keyof Events, Set<unknown>>();

  /** Adds a listener; the returned function removes it. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.#listeners.get(event)?.delete(listener);
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /** Calls each listener; one that throws does not stop the others. Returns the listener errors. */
  protected emit<K extends keyof Events>(event: K, ...args: Events[K]): unknown[] {
    const failures: unknown[] = [];
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<Events[K]>)(...args);
      } catch (error) {
        failures.push(error);
      }
    }
    return failures;
  }

  protected removeAllListeners(): void {
    this.#listeners.clear();
  }
}
