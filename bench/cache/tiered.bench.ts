/**
 * TieredCache and cacheMiddleware costs, side by side with the raw clients:
 * - cross-process invalidation: A deletes, how long until B's L1 has dropped
 *   the key (RedisStore pub/sub on the shared Redis at 127.0.0.1:6379);
 * - an L2 hit through TieredCache (decode + promote) vs the raw GET / SELECT;
 * - a cacheMiddleware L1 hit vs its floor (requestKey + SmartCache.get).
 * Uses a unique Redis namespace and removes it afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CachedAnswer,
  cacheMiddleware,
  requestKey,
  SmartCache,
  TieredCache,
} from "@llm/cache";
import { RedisStore } from "@llm/cache-redis";
import { SqliteStore } from "@llm/cache-sqlite";
import { type ChatRequest, type ChatResponse, compose, type LLMClient } from "@llm/core";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import { fmt } from "../lib/measure.ts";
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { BenchOptions, BenchResult } from "../lib/result.ts";

const REDIS = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** Where Redis is, for the report: host and port only, so a password in REDIS_URL never shows. */
const REDIS_SHOWN = (() => {
  try {
    const url = new URL(REDIS);
    return `${url.hostname}:${url.port || "6379"}`;
  } catch {
    return "(REDIS_URL)";
  }
})();
/** Issue 4: a delete reaches the other processes' L1 within 100 ms. */
const INVALIDATION_TARGET_MS = 100;

interface Sizes {
  warmup: number;
  invalidations: number;
  redisReads: number;
  sqliteReads: number;
  hits: number;
}
const FULL: Sizes = {
  warmup: 200,
  invalidations: 300,
  redisReads: 2_000,
  sqliteReads: 5_000,
  hits: 20_000,
};
const QUICK: Sizes = {
  warmup: 20,
  invalidations: 30,
  redisReads: 200,
  sqliteReads: 500,
  hits: 2_000,
};
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function timeAsync(op: () => Promise<unknown>, n: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await op();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op();
    out.push((performance.now() - t0) * 1_000);
  }
  return out.sort((a, b) => a - b);
}

async function invalidationLatency(namespace: string, count: number): Promise<number[]> {
  const storeA = new RedisStore({ url: REDIS, namespace });
  const storeB = new RedisStore({ url: REDIS, namespace });
  await Promise.all([storeA.ready(), storeB.ready()]);
  const a = new TieredCache<string>({ l1: new SmartCache({ maxEntries: 1_000 }), l2: storeA });
  const l1B = new SmartCache<string>({ maxEntries: 1_000 });
  const b = new TieredCache<string>({ l1: l1B, l2: storeB });
  let arrived: ((at: number) => void) | undefined;
  // Registered after TieredCache's own listener, so B's L1 is already evicted when this runs.
  storeB.subscribe(() => arrived?.(performance.now()));
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const key = `k${i}`;
    await a.set(key, "answer");
    await b.get(key);
    const seen = new Promise<number>((resolve) => {
      arrived = resolve;
    });
    const t0 = performance.now();
    await a.delete(key);
    const at = await seen;
    if (l1B.has(key)) throw new Error("B still holds an invalidated key");
    samples.push(at - t0);
  }
  await a.close();
  await b.close();
  return samples.sort((x, y) => x - y);
}

async function l2Hits(namespace: string, dir: string, sizes: Sizes) {
  const value = JSON.stringify({ text: "x".repeat(1_000) });
  const redisStore = new RedisStore({ url: REDIS, namespace, subscribe: false });
  await redisStore.ready();
  const redisL1 = new SmartCache<unknown>({ maxEntries: 10 });
  const viaRedis = new TieredCache<unknown>({ l1: redisL1, l2: redisStore });
  await viaRedis.set("k", JSON.parse(value));
  const raw = new Redis(REDIS);
  const rawRedis = await timeAsync(
    () => raw.get(redisStore.entryKey("k")),
    sizes.redisReads,
    sizes.warmup,
  );
  const tieredRedis = await timeAsync(
    () => {
      redisL1.delete("k");
      return viaRedis.lookup("k");
    },
    sizes.redisReads,
    sizes.warmup,
  );
  raw.disconnect();
  await viaRedis.close();

  const path = join(dir, "bench.db");
  const sqliteStore = new SqliteStore({ path, sweepIntervalMs: 0 });
  const sqliteL1 = new SmartCache<unknown>({ maxEntries: 10 });
  const viaSqlite = new TieredCache<unknown>({ l1: sqliteL1, l2: sqliteStore });
  await viaSqlite.set("k", JSON.parse(value));
  const db = new Database(path, { readonly: true });
  const select = db.prepare("SELECT value FROM entries WHERE key = ?");
  const rawSqlite = await timeAsync(async () => select.get("k"), sizes.sqliteReads, sizes.warmup);
  const tieredSqlite = await timeAsync(
    () => {
      sqliteL1.delete("k");
      return viaSqlite.lookup("k");
    },
    sizes.sqliteReads,
    sizes.warmup,
  );
  db.close();
  await viaSqlite.close();
  return { rawRedis, tieredRedis, rawSqlite, tieredSqlite };
}

async function middlewareHit(sizes: Sizes) {
  const upstream: LLMClient = {
    provider: "bench",
    model: "bench-1",
    async generate(): Promise<ChatResponse> {
      return {
        id: "r",
        model: "bench-1",
        provider: "bench",
        text: "an answer",
        content: [{ type: "text", text: "an answer" }],
        toolCalls: [],
        finishReason: "stop",
        usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
        origin: { type: "upstream" },
      };
    },
    stream() {
      throw new Error("unused");
    },
  };
  const l1 = new SmartCache<CachedAnswer>({ maxEntries: 1_000 });
  const client = compose(upstream, cacheMiddleware({ cache: new TieredCache({ l1 }) }));
  const request: ChatRequest = {
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: "Name three prime numbers." },
    ],
    temperature: 0,
  };
  await client.generate(request);
  const viaMiddleware = await timeAsync(() => client.generate(request), sizes.hits, sizes.warmup);
  const floor = await timeAsync(
    async () => l1.get(requestKey(request, { provider: "bench", model: "bench-1" })),
    sizes.hits,
    sizes.warmup,
  );
  return { viaMiddleware, floor };
}

export async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const sizes = quick ? QUICK : FULL;
  const namespace = `llmkit-bench-${process.pid}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), "llm-bench-"));
  try {
    const inval = await invalidationLatency(`${namespace}:inv`, sizes.invalidations);
    const l2 = await l2Hits(`${namespace}:l2`, dir, sizes);
    const mw = await middlewareHit(sizes);
    const us = (s: number[]) => [fmt(percentile(s, 0.5), 1), fmt(percentile(s, 0.99), 1)];
    const p99 = percentile(inval, 0.99);
    const ratio = (a: number[], b: number[]) =>
      `${fmt(percentile(a, 0.5) / percentile(b, 0.5), 2)}×`;
    return {
      id: "cache/tiered",
      title: "TieredCache and cacheMiddleware vs the raw stores",
      command: rerunCommand("cache/tiered.bench.ts"),
      measures: [
        "packages/cache/src",
        "packages/cache-redis/src",
        "packages/cache-sqlite/src",
        "packages/core/src",
      ],
      intro: [
        `Node ${process.version}, Redis at ${REDIS_SHOWN} (shared with other processes), SQLite in a temporary file. p50/p99 of single awaited calls, event-loop turns included. Each store gets a unique Redis namespace, removed afterwards.`,
      ],
      tables: [
        {
          title: "Cross-process invalidation (Redis pub/sub)",
          columns: ["what", "samples", "p50 ms", "p99 ms", "max ms"],
          rows: [
            [
              "A.delete(key) → B's L1 no longer has it",
              inval.length,
              fmt(percentile(inval, 0.5), 2),
              fmt(p99, 2),
              fmt(inval.at(-1)!, 2),
            ],
          ],
          note: "Two TieredCaches on two RedisStore connections stand for two processes; the clock stops when B's invalidation listener has run (B's L1 is checked to be empty).",
        },
        {
          title: "Reads of a 1 KB value",
          columns: ["read", "p50 µs", "p99 µs", "p50 ÷ its floor"],
          rows: [
            ["raw ioredis GET (floor)", ...us(l2.rawRedis), "1.00×"],
            [
              "**TieredCache L2 hit, RedisStore** (GET + decode + promote)",
              ...us(l2.tieredRedis),
              ratio(l2.tieredRedis, l2.rawRedis),
            ],
            ["raw better-sqlite3 prepared SELECT (floor)", ...us(l2.rawSqlite), "1.00×"],
            [
              "**TieredCache L2 hit, SqliteStore** (SELECT + decode + promote)",
              ...us(l2.tieredSqlite),
              ratio(l2.tieredSqlite, l2.rawSqlite),
            ],
            ["requestKey + SmartCache.get (floor of a hit)", ...us(mw.floor), "1.00×"],
            [
              "**cacheMiddleware generate, L1 hit** (through compose)",
              ...us(mw.viaMiddleware),
              ratio(mw.viaMiddleware, mw.floor),
            ],
          ],
        },
      ],
      acceptance: [
        {
          check: "cross-process invalidation delay, p99",
          target: `≤ ${INVALIDATION_TARGET_MS} ms`,
          measured: `${fmt(p99, 2)} ms`,
          baseline: "none: an absolute bound (Redis pub/sub round trip)",
          met: p99 <= INVALIDATION_TARGET_MS,
        },
        {
          check: "L2 hit through TieredCache (Redis), p50",
          target: "reported",
          measured: `${fmt(percentile(l2.tieredRedis, 0.5), 1)} µs (${ratio(l2.tieredRedis, l2.rawRedis)})`,
          baseline: `raw ioredis GET, ${fmt(percentile(l2.rawRedis, 0.5), 1)} µs`,
          met: null,
        },
        {
          check: "L2 hit through TieredCache (SQLite), p50",
          target: "reported",
          measured: `${fmt(percentile(l2.tieredSqlite, 0.5), 1)} µs (${ratio(l2.tieredSqlite, l2.rawSqlite)})`,
          baseline: `raw better-sqlite3 SELECT, ${fmt(percentile(l2.rawSqlite, 0.5), 1)} µs`,
          met: null,
        },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(REDIS);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `{${namespace}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== "0");
    redis.disconnect();
  }
}

await runIfMain(import.meta.url, run);
