import type {
  CacheStore,
  InvalidationListener,
  StoreSetOptions,
} from "../src/store/cache-store.js";
import { MemoryStore } from "../src/store/memory-store.js";

/** A MemoryStore that can be switched to fail (throw) or hang (never answer), to test degradation. */
export class FlakyStore implements CacheStore {
  readonly name = "flaky";
  mode: "ok" | "throw" | "hang" = "ok";
  calls = 0;
  readonly inner: MemoryStore;

  constructor(inner = new MemoryStore()) {
    this.inner = inner;
  }

  #guard<T>(op: () => Promise<T>): Promise<T> {
    this.calls++;
    if (this.mode === "throw") return Promise.reject(new Error("connection refused"));
    if (this.mode === "hang") return new Promise<T>(() => {});
    return op();
  }

  get(key: string) {
    return this.#guard(() => this.inner.get(key));
  }
  set(key: string, value: string, options?: StoreSetOptions) {
    return this.#guard(() => this.inner.set(key, value, options));
  }
  delete(key: string) {
    return this.#guard(() => this.inner.delete(key));
  }
  clear() {
    return this.#guard(() => this.inner.clear());
  }
  deleteByPrefix(prefix: string) {
    return this.#guard(() => this.inner.deleteByPrefix(prefix));
  }
  deleteByTag(tag: string) {
    return this.#guard(() => this.inner.deleteByTag(tag));
  }
  subscribe(listener: InvalidationListener) {
    return this.inner.subscribe(listener);
  }
  close() {
    return this.inner.close();
  }
}
