/**
 * SmartCache's cost per operation beside plain `lru-cache` 11, on the same keys (64-char
 * SHA-256 hex, like request keys), in one process:
 * - hit: each implementation timed through its OWN loop (its own call site, monomorphic,
 *   warmed up), interleaved rounds, median round. lru-cache is timed in both forms — plain
 *   `get(key)`, which allocates a default options object per call, and `get(key, options)`
 *   with one options object reused, its fastest form; the target is against the faster.
 * - miss + set: a lookup that misses and the insert that follows, in a full cache.
 * - bytes per entry: heap growth per entry held (keys and the value created beforehand).
 */
import { createHash } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SmartCache } from "@llm/cache";
import { LRUCache } from "lru-cache";
import { runIfMain } from "../lib/report.ts";
import type { BenchOptions, BenchResult } from "../lib/result.ts";
import { zipfSampler } from "../lib/zipf.ts";

const ENTRIES = 10_000;
const TARGET = 1.3;

interface Value {
  text: string;
  tokens: number;
}
const VALUE: Value = { text: "cached answer", tokens: 42 };

function sha256Keys(n: number, salt: string): string[] {
  return Array.from({ length: n }, (_, i) =>
    createHash("sha256").update(`${salt}${i}`).digest("hex"),
  );
}

function xorshift(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Key indices, uniform or Zipf(s). */
function accessOrder(n: number, length: number, zipf: number | undefined): Uint32Array {
  const random = xorshift(0x9e3779b9);
  const rank = zipf === undefined ? () => Math.floor(random() * n) : zipfSampler(n, zipf, random);
  const out = new Uint32Array(length);
  for (let i = 0; i < length; i++) out[i] = rank();
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * CPU time of this process (user + system) in ns: on a shared machine, time spent waiting for
 * a core is not charged to the loop being measured, as wall time would be.
 */
function cpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

// One loop per implementation and form: every call site sees one receiver type.

function hitsLruPlain(cache: LRUCache<string, Value>, keys: string[], order: Uint32Array): number {
  let found = 0;
  const t0 = cpuNs();
  for (let i = 0; i < order.length; i++) {
    if (cache.get(keys[order[i] as number] as string) !== undefined) found++;
  }
  return check(t0, found, order.length);
}

const LRU_GET_OPTIONS: LRUCache.GetOptions<string, Value, unknown> = {};
function hitsLruReused(cache: LRUCache<string, Value>, keys: string[], order: Uint32Array): number {
  let found = 0;
  const t0 = cpuNs();
  for (let i = 0; i < order.length; i++) {
    if (cache.get(keys[order[i] as number] as string, LRU_GET_OPTIONS) !== undefined) found++;
  }
  return check(t0, found, order.length);
}

function hitsSmart(cache: SmartCache<Value>, keys: string[], order: Uint32Array): number {
  let found = 0;
  const t0 = cpuNs();
  for (let i = 0; i < order.length; i++) {
    if (cache.get(keys[order[i] as number] as string) !== undefined) found++;
  }
  return check(t0, found, order.length);
}

function check(t0: number, found: number, total: number): number {
  const ns = (cpuNs() - t0) / total;
  if (found !== total) throw new Error(`expected only hits, got ${found}/${total}`);
  return ns;
}

function missSetLru(cache: LRUCache<string, Value>, keys: string[], from: number): number {
  const t0 = cpuNs();
  for (let i = from; i < keys.length; i++) {
    const key = keys[i] as string;
    if (cache.get(key, LRU_GET_OPTIONS) === undefined) cache.set(key, VALUE);
  }
  return (cpuNs() - t0) / (keys.length - from);
}

function missSetSmart(cache: SmartCache<Value>, keys: string[], from: number): number {
  const t0 = cpuNs();
  for (let i = from; i < keys.length; i++) {
    const key = keys[i] as string;
    if (cache.get(key) === undefined) cache.set(key, VALUE);
  }
  return (cpuNs() - t0) / (keys.length - from);
}

interface HitCosts {
  lruPlain: number;
  lruReused: number;
  smart: number;
  smartLru: number;
}

function hitCosts(zipf: number | undefined, ops: number, rounds: number): HitCosts {
  const keys = sha256Keys(ENTRIES, "hit");
  const lru = new LRUCache<string, Value>({ max: ENTRIES });
  const smart = new SmartCache<Value>({ maxEntries: ENTRIES });
  const smartLru = new SmartCache<Value>({ maxEntries: ENTRIES, policy: "lru" });
  for (const key of keys) {
    lru.set(key, VALUE);
    smart.get(key);
    smart.set(key, VALUE);
    smartLru.set(key, VALUE);
  }
  // Every key twice more, so the hot set settles in protected before timing.
  for (let i = 0; i < 2; i++) for (const key of keys) smart.get(key);
  const order = accessOrder(ENTRIES, ops, zipf);
  const warm = order.subarray(0, Math.min(order.length, 50_000));
  hitsLruPlain(lru, keys, warm);
  hitsLruReused(lru, keys, warm);
  hitsSmart(smart, keys, warm);
  hitsSmart(smartLru, keys, warm);
  const samples: Record<keyof HitCosts, number[]> = {
    lruPlain: [],
    lruReused: [],
    smart: [],
    smartLru: [],
  };
  for (let round = 0; round < rounds; round++) {
    samples.lruPlain.push(hitsLruPlain(lru, keys, order));
    samples.lruReused.push(hitsLruReused(lru, keys, order));
    samples.smart.push(hitsSmart(smart, keys, order));
    samples.smartLru.push(hitsSmart(smartLru, keys, order));
  }
  return {
    lruPlain: median(samples.lruPlain),
    lruReused: median(samples.lruReused),
    smart: median(samples.smart),
    smartLru: median(samples.smartLru),
  };
}

/** A miss and the insert that follows, into a full cache (each insert evicts or is refused). */
function missSetCosts(rounds: number): { lru: number; smart: number; smartBytes: number } {
  const keys = sha256Keys(ENTRIES * 4, "set");
  const samples = { lru: [] as number[], smart: [] as number[], smartBytes: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const lru = new LRUCache<string, Value>({ max: ENTRIES });
    missSetLru(lru, keys.slice(0, ENTRIES), 0);
    samples.lru.push(missSetLru(lru, keys, ENTRIES));
    const smart = new SmartCache<Value>({ maxEntries: ENTRIES });
    missSetSmart(smart, keys.slice(0, ENTRIES), 0);
    samples.smart.push(missSetSmart(smart, keys, ENTRIES));
    const bytes = new SmartCache<Value>({ maxEntries: ENTRIES, maxBytes: 64 * 1024 * 1024 });
    missSetSmart(bytes, keys.slice(0, ENTRIES), 0);
    samples.smartBytes.push(missSetSmart(bytes, keys, ENTRIES));
  }
  return {
    lru: median(samples.lru),
    smart: median(samples.smart),
    smartBytes: median(samples.smartBytes),
  };
}

/** Heap bytes per entry held: keys and the (shared) value exist before, so only structure counts. */
function bytesPerEntry(entries: number): { lru: number; smart: number } | undefined {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as (() => void) | undefined;
  if (typeof gc !== "function") return undefined;
  const keys = sha256Keys(entries, "bytes");
  const measure = (fill: () => unknown): number => {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const held = fill();
    gc();
    gc();
    const after = process.memoryUsage().heapUsed;
    if (held === undefined) throw new Error("unreachable");
    return (after - before) / entries;
  };
  const lru = measure(() => {
    const cache = new LRUCache<string, Value>({ max: entries });
    for (const key of keys) cache.set(key, VALUE);
    return cache;
  });
  const smart = measure(() => {
    const cache = new SmartCache<Value>({ maxEntries: entries });
    for (const key of keys) cache.set(key, VALUE);
    return cache;
  });
  return { lru, smart };
}

export async function run(options: BenchOptions = { quick: false }): Promise<BenchResult> {
  const ops = options.quick ? 1 << 16 : 1 << 19;
  const rounds = options.quick ? 3 : 9;
  const uniform = hitCosts(undefined, ops, rounds);
  const zipf = hitCosts(1.0, ops, rounds);
  const sets = missSetCosts(options.quick ? 3 : 7);
  const memory = bytesPerEntry(options.quick ? 20_000 : 100_000);
  const f1 = (n: number) => Number(n.toFixed(1));
  const ratio = (ours: number, base: number) => `${(ours / base).toFixed(2)}×`;
  const fastest = (c: HitCosts) => Math.min(c.lruPlain, c.lruReused);
  const hitRow = (label: string, c: HitCosts) => [
    label,
    f1(c.lruPlain),
    f1(c.lruReused),
    f1(c.smart),
    ratio(c.smart, fastest(c)),
    f1(c.smartLru),
    ratio(c.smartLru, fastest(c)),
  ];
  return {
    id: "cache/speed",
    title: "cache: speed.bench.ts",
    command:
      "cd bench && TSX_TSCONFIG_PATH=../tsconfig.tsx.json node --conditions=@llm/source --import tsx cache/speed.bench.ts",
    measures: ["packages/cache/src/smart-cache", "bench/cache/speed.bench.ts"],
    intro: [
      `Node ${process.version}; ${ENTRIES.toLocaleString("en")} entries, 64-char SHA-256 hex keys; ${rounds} interleaved rounds of ${ops.toLocaleString("en")} lookups, median round. Each implementation and form runs in its own loop (its own call site, one receiver type), warmed up first. SmartCache is \`new SmartCache({ maxEntries })\`: a hit finds the entry in its region, reads the key hash stored with it, counts it in the frequency sketch and replays it against the shadow LRU (every key up to 16,384 entries, a hash-selected share above; here all of them). Times are process CPU time (user + system), not wall time; on a shared 2-core machine they are still noisy: compare within a row.`,
    ],
    tables: [
      {
        title: "Hit cost (ns per get)",
        columns: [
          "keys",
          "lru-cache get(k)",
          "lru-cache get(k, reusedOptions)",
          "**SmartCache**",
          "SmartCache ÷ faster lru-cache",
          'SmartCache policy "lru"',
          '"lru" ÷ faster lru-cache',
        ],
        rows: [hitRow("uniform", uniform), hitRow("Zipf(1.0)", zipf)],
      },
      {
        title: "Miss + set, and memory",
        columns: ["operation", "lru-cache", "**SmartCache**", "ratio"],
        rows: [
          [
            "miss + set of a new key into a full cache (ns)",
            f1(sets.lru),
            f1(sets.smart),
            ratio(sets.smart, sets.lru),
          ],
          [
            "same, with byte accounting (`maxBytes`, `sizeOf` walk) (ns)",
            f1(sets.lru),
            f1(sets.smartBytes),
            ratio(sets.smartBytes, sets.lru),
          ],
          memory === undefined
            ? ["heap bytes per entry", null, null, "not measured (no gc)"]
            : [
                "heap bytes per entry (structure only)",
                f1(memory.lru),
                f1(memory.smart),
                ratio(memory.smart, memory.lru),
              ],
        ],
      },
    ],
    acceptance: [
      {
        check: "hit cost vs lru-cache get, uniform keys",
        target: `≤ ${TARGET}×`,
        measured: ratio(uniform.smart, fastest(uniform)),
        baseline: "faster of lru-cache 11 get(k) / get(k, reusedOptions), same process",
        met: uniform.smart / fastest(uniform) <= TARGET,
      },
      {
        check: "hit cost vs lru-cache get, Zipf(1.0) keys",
        target: `≤ ${TARGET}×`,
        measured: ratio(zipf.smart, fastest(zipf)),
        baseline: "faster of lru-cache 11 get(k) / get(k, reusedOptions), same process",
        met: zipf.smart / fastest(zipf) <= TARGET,
      },
      {
        check: "miss + set cost vs lru-cache",
        target: "—",
        measured: ratio(sets.smart, sets.lru),
        baseline: "lru-cache 11 get + set",
        met: null,
      },
    ],
  };
}

await runIfMain(import.meta.url, run);
