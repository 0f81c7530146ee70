/**
 * Loading and replaying the traces vendored under bench/data/traces (rules in its README):
 * unit-size entries, no TTL, a cold cache; for each key `get`, and on a miss `set`. Traces
 * are held as dense ids plus one string per distinct key, so a 13 M-request ARC trace costs
 * 52 MB of ids, and every policy replays the very same key strings.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { SmartCache, type SmartCacheOptions } from "@llm/cache";
import { LRUCache } from "lru-cache";
import { S3Fifo } from "./baselines/s3-fifo.ts";
import { Sieve } from "./baselines/sieve.ts";
import { decodeBlockRuns, type IdTrace } from "./block-trace.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = join(here, "../data/traces");

export type { IdTrace };

const loaded = new Map<string, IdTrace>();

/** Interns a list of keys as an IdTrace. */
export function toIdTrace(list: readonly string[]): IdTrace {
  const ids = new Int32Array(list.length);
  const idOf = new Map<string, number>();
  const keys: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const key = list[i] as string;
    let id = idOf.get(key);
    if (id === undefined) {
      id = keys.length;
      idOf.set(key, id);
      keys.push(key);
    }
    ids[i] = id;
  }
  return { ids, keys };
}

/** `lirs/<name>.trace.gz`: one integer key per line; blank lines and `*` skipped. */
export function loadLirsTrace(name: string): IdTrace {
  const id = `lirs/${name}`;
  const cached = loaded.get(id);
  if (cached) return cached;
  const text = gunzipSync(readFileSync(join(DATA_DIR, "lirs", `${name}.trace.gz`))).toString(
    "latin1",
  );
  const list: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line === "*") continue;
    list.push(line);
  }
  const trace = toIdTrace(list);
  loaded.set(id, trace);
  return trace;
}

/** `arc/<name>.runs.gz` (P2, P12), optionally only its first `limit` requests. */
export function loadArcTrace(name: string, limit?: number): IdTrace {
  const id = `arc/${name}/${limit ?? "all"}`;
  const cached = loaded.get(id);
  if (cached) return cached;
  const trace = decodeBlockRuns(readFileSync(join(DATA_DIR, "arc", `${name}.runs.gz`)), limit);
  loaded.set(id, trace);
  return trace;
}

/** What a replayed cache must offer. */
export interface ReplayCache {
  get(key: string): unknown;
  set(key: string, value: number): unknown;
}

/**
 * Hit rate (%) of `cache` over the trace, optionally only over requests `[from, to)` (the
 * cache still sees every request before `from`).
 */
export function replay(
  trace: IdTrace,
  cache: ReplayCache,
  from = 0,
  to = trace.ids.length,
): number {
  const { ids, keys } = trace;
  let hits = 0;
  for (let i = 0; i < to; i++) {
    const key = keys[ids[i] as number] as string;
    if (cache.get(key) !== undefined) {
      if (i >= from) hits++;
    } else cache.set(key, 1);
  }
  return (100 * hits) / Math.max(1, to - from);
}

export const policies = {
  lru: (size: number): ReplayCache => new LRUCache<string, number>({ max: size }),
  smart: (size: number, options: Partial<SmartCacheOptions<number>> = {}): ReplayCache =>
    new SmartCache<number>({ maxEntries: size, ...options }),
  s3fifo: (size: number): ReplayCache => new S3Fifo<number>(size),
  sieve: (size: number): ReplayCache => new Sieve<number>(size),
};

/**
 * Belady's optimum (%): evict the key whose next use is farthest away; one reverse pass +
 * a max-heap. Optionally counts hits only over `[from, to)`.
 */
export function replayOpt(trace: IdTrace, size: number, from = 0, to = trace.ids.length): number {
  const ids = trace.ids;
  const n = to;
  const next = new Float64Array(n);
  const seen = new Float64Array(trace.keys.length).fill(Number.POSITIVE_INFINITY);
  for (let i = n - 1; i >= 0; i--) {
    const id = ids[i] as number;
    next[i] = seen[id] as number;
    seen[id] = i;
  }
  // nextUse[id] is the next use of a cached key (NaN when not cached); the heap holds
  // (nextUse, id) pairs, stale ones skipped lazily.
  const nextUse = new Float64Array(trace.keys.length).fill(Number.NaN);
  const heap = new MaxHeap();
  let cached = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[i] as number;
    if (!Number.isNaN(nextUse[id] as number)) {
      if (i >= from) hits++;
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
  return (100 * hits) / Math.max(1, to - from);
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
