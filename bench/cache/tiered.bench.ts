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
import { isMain, markdownTable, writeResult } from "../lib/report.ts";

const REDIS = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function timeAsync(op: () => Promise<unknown>, n: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) await op();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op();
    out.push((performance.now() - t0) * 1_000);
  }
  return out.sort((a, b) => a - b);
}

async function invalidationLatency(namespace: string): Promise<number[]> {
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
  for (let i = 0; i < 300; i++) {
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

async function l2Hits(namespace: string, dir: string) {
  const value = JSON.stringify({ text: "x".repeat(1_000) });
  const redisStore = new RedisStore({ url: REDIS, namespace, subscribe: false });
  await redisStore.ready();
  const redisL1 = new SmartCache<unknown>({ maxEntries: 10 });
  const viaRedis = new TieredCache<unknown>({ l1: redisL1, l2: redisStore });
  await viaRedis.set("k", JSON.parse(value));
  const raw = new Redis(REDIS);
  const rawRedis = await timeAsync(() => raw.get(`${namespace}:e:k`), 2_000);
  const tieredRedis = await timeAsync(() => {
    redisL1.delete("k");
    return viaRedis.lookup("k");
  }, 2_000);
  raw.disconnect();
  await viaRedis.close();

  const path = join(dir, "bench.db");
  const sqliteStore = new SqliteStore({ path, sweepIntervalMs: 0 });
  const sqliteL1 = new SmartCache<unknown>({ maxEntries: 10 });
  const viaSqlite = new TieredCache<unknown>({ l1: sqliteL1, l2: sqliteStore });
  await viaSqlite.set("k", JSON.parse(value));
  const db = new Database(path, { readonly: true });
  const select = db.prepare("SELECT value FROM entries WHERE key = ?");
  const rawSqlite = await timeAsync(async () => select.get("k"), 5_000);
  const tieredSqlite = await timeAsync(() => {
    sqliteL1.delete("k");
    return viaSqlite.lookup("k");
  }, 5_000);
  db.close();
  await viaSqlite.close();
  return { rawRedis, tieredRedis, rawSqlite, tieredSqlite };
}

async function middlewareHit() {
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
  const viaMiddleware = await timeAsync(() => client.generate(request), 20_000);
  const floor = await timeAsync(
    async () => l1.get(requestKey(request, { provider: "bench", model: "bench-1" })),
    20_000,
  );
  return { viaMiddleware, floor };
}

export async function run(): Promise<string> {
  const namespace = `llmkit-bench-${process.pid}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), "llm-bench-"));
  try {
    const inval = await invalidationLatency(`${namespace}:inv`);
    const l2 = await l2Hits(`${namespace}:l2`, dir);
    const mw = await middlewareHit();
    const us = (s: number[]) => [fmt(percentile(s, 0.5), 1), fmt(percentile(s, 0.99), 1)];
    const table1 = markdownTable(
      ["cross-process invalidation (Redis pub/sub)", "p50 ms", "p99 ms", "max ms"],
      [
        [
          "A.delete(key) → B's L1 no longer has it",
          fmt(percentile(inval, 0.5), 2),
          fmt(percentile(inval, 0.99), 2),
          fmt(inval.at(-1)!, 2),
        ],
      ],
    );
    const table2 = markdownTable(
      ["read (1 KB value)", "p50 µs", "p99 µs"],
      [
        ["raw ioredis GET", ...us(l2.rawRedis)],
        ["**TieredCache L2 hit, RedisStore** (GET + decode + promote)", ...us(l2.tieredRedis)],
        ["raw better-sqlite3 prepared SELECT", ...us(l2.rawSqlite)],
        ["**TieredCache L2 hit, SqliteStore** (SELECT + decode + promote)", ...us(l2.tieredSqlite)],
        ["requestKey + SmartCache.get (floor of a hit)", ...us(mw.floor)],
        ["**cacheMiddleware generate, L1 hit** (through compose)", ...us(mw.viaMiddleware)],
      ],
    );
    const markdown = `### TieredCache and cacheMiddleware (Node ${process.version}, Redis at ${REDIS})\n\n${table1}\n\n${table2}\n\n300 invalidations; p50/p99 of single awaited calls (includes event-loop turns).`;
    return writeResult("cache-tiered", markdown);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(REDIS);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${namespace}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== "0");
    redis.disconnect();
  }
}

if (isMain(import.meta.url)) console.log(await run());
