/**
 * Loading and replaying the LIRS traces of ../shared/traces (rules in its README): unit-size
 * entries, no TTL, a cold cache; for each key `get`, and on a miss `set`.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { SmartCache, type SmartCacheOptions } from "@llm/cache";
import { LRUCache } from "lru-cache";

const here = dirname(fileURLToPath(import.meta.url));
export const TRACE_DIR = join(here, "../../../shared/traces/lirs");

const cache = new Map<string, string[]>();

/** The keys of `lirs/<name>.trace.gz`, as strings (cache keys are strings). */
export function loadTrace(name: string): string[] {
  const cached = cache.get(name);
  if (cached) return cached;
  const text = gunzipSync(readFileSync(join(TRACE_DIR, `${name}.trace.gz`))).toString("latin1");
  const keys: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line === "*") continue;
    keys.push(line);
  }
  cache.set(name, keys);
  return keys;
}

/** Hit rate (%) of a SmartCache of `size` entries over the trace. */
export function replaySmart(
  keys: readonly string[],
  size: number,
  options: Partial<SmartCacheOptions<number>> = {},
): number {
  const smart = new SmartCache<number>({ maxEntries: size, ...options });
  let hits = 0;
  for (const key of keys) {
    if (smart.get(key) !== undefined) hits++;
    else smart.set(key, 1);
  }
  return (100 * hits) / keys.length;
}

/** Hit rate (%) of plain `lru-cache` of `size` entries over the trace. */
export function replayLru(keys: readonly string[], size: number): number {
  const lru = new LRUCache<string, number>({ max: size });
  let hits = 0;
  for (const key of keys) {
    if (lru.get(key) !== undefined) hits++;
    else lru.set(key, 1);
  }
  return (100 * hits) / keys.length;
}

/** Belady's optimum (%): evict the key whose next use is farthest away; one reverse pass + a max-heap. */
export function replayOpt(keys: readonly string[], size: number): number {
  const n = keys.length;
  const ids = new Int32Array(n);
  const idOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = keys[i] as string;
    let id = idOf.get(key);
    if (id === undefined) {
      id = idOf.size;
      idOf.set(key, id);
    }
    ids[i] = id;
  }
  const next = new Float64Array(n);
  const seen = new Float64Array(idOf.size).fill(Number.POSITIVE_INFINITY);
  for (let i = n - 1; i >= 0; i--) {
    const id = ids[i] as number;
    next[i] = seen[id] as number;
    seen[id] = i;
  }
  // nextUse[id] is the next use of a cached key (NaN when not cached); the heap holds
  // (nextUse, id) pairs, stale ones skipped lazily.
  const nextUse = new Float64Array(idOf.size).fill(Number.NaN);
  const heap = new MaxHeap();
  let cached = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[i] as number;
    if (!Number.isNaN(nextUse[id] as number)) {
      hits++;
    } else {
      if (cached >= size) {
        for (;;) {
          const [use, victim] = heap.pop();
          if (nextUse[victim] === use) {
            nextUse[victim] = Number.NaN;
            cached--;
            break;
          }
        }
      }
      cached++;
    }
    nextUse[id] = next[i] as number;
    heap.push(next[i] as number, id);
  }
  return (100 * hits) / n;
}

class MaxHeap {
  #priorities: number[] = [];
  #values: number[] = [];

  push(priority: number, value: number): void {
    const p = this.#priorities;
    const v = this.#values;
    let i = p.length;
    p.push(priority);
    v.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((p[parent] as number) >= priority) break;
      p[i] = p[parent] as number;
      v[i] = v[parent] as number;
      i = parent;
    }
    p[i] = priority;
    v[i] = value;
  }

  pop(): [number, number] {
    const p = this.#priorities;
    const v = this.#values;
    const top: [number, number] = [p[0] as number, v[0] as number];
    const lastP = p.pop() as number;
    const lastV = v.pop() as number;
    const n = p.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (p[r] as number) > (p[l] as number) ? r : l;
        if ((p[c] as number) <= lastP) break;
        p[i] = p[c] as number;
        v[i] = v[c] as number;
        i = c;
      }
      p[i] = lastP;
      v[i] = lastV;
    }
    return top;
  }
}
