/**
 * @llm/ratelimit: what a decision costs, and whether processes sharing one budget keep to it.
 *
 * Cost: `RateLimit.acquire` on the in-process store and on the Redis store (one EVALSHA of
 * the GCRA script), beside the floor of any Redis-held limiter — one round trip of the same
 * ioredis client (`PING`) — and the fixed-window counter people write by hand (`INCR` +
 * `PEXPIRE` in one MULTI), which is cheaper but lets twice the limit through at a window edge.
 *
 * Accuracy: three worker processes (packages/ratelimit/test/fixtures/shared-budget-worker.ts,
 * the same worker the package's test runs) each hammer one budget with five loops; grants in
 * the measured window are counted against what GCRA allows (the burst plus one per interval).
 * Beside it, the naive design: each process with its own in-memory budget of the same size.
 */
import { randomUUID } from "node:crypto";
import { MemoryRateLimitStore, RateLimit } from "@llm/ratelimit";
import { RedisRateLimitStore } from "@llm/ratelimit/redis";
import { Redis } from "ioredis";
import { startSharedBudgetWorker } from "../../packages/ratelimit/test/fixtures/start-shared-budget-worker.ts";
import { fmt, nsPerOp } from "../lib/measure.ts";
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { AcceptanceRow, BenchOptions, BenchResult, Cell } from "../lib/result.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A budget no bench run can exhaust: every acquire is granted at once. */
const UNLIMITED = { limit: 1e12, periodMs: 60_000 };

async function decisionCosts(redis: Redis, prefix: string, quick: boolean): Promise<Cell[][]> {
  const timing = quick
    ? { warmup: 200, batch: 200, minMs: 30 }
    : { warmup: 2_000, batch: 1_000, minMs: 600 };
  const memory = new RateLimit({
    key: "bench",
    requests: UNLIMITED,
    tokens: UNLIMITED,
    store: new MemoryRateLimitStore(),
  });
  const shared = new RateLimit({
    key: "bench",
    requests: UNLIMITED,
    tokens: UNLIMITED,
    store: new RedisRateLimitStore(redis, { prefix }),
  });
  const counterKey = `${prefix}:fixed-window`;
  const rows: Cell[][] = [];
  const measure = async (name: string, op: () => Promise<unknown>) => {
    const ns = await nsPerOp(op, timing);
    rows.push([name, fmt(ns / 1_000, 2)]);
    return ns;
  };
  const ping = await measure("floor: one ioredis round trip (`PING`)", () => redis.ping());
  await measure("fixed-window counter by hand (`MULTI INCR PEXPIRE EXEC`)", () =>
    redis.multi().incr(counterKey).pexpire(counterKey, 60_000).exec(),
  );
  const ours = await measure(
    "**@llm/ratelimit, Redis store** (`EVALSHA` GCRA, requests + tokens)",
    () => shared.acquire(100),
  );
  await measure("@llm/ratelimit, in-process store", () => memory.acquire(100));
  rows.push(["Redis store ÷ one round trip", `${fmt(ours / ping, 2)}×`]);
  await redis.del(counterKey, ...new RedisRateLimitStore(redis, { prefix }).keysOf("bench"));
  return rows;
}

async function sharedBudget(store: "redis" | "memory", prefix: string, quick: boolean) {
  const limit = 60;
  const periodMs = quick ? 1_000 : 3_000;
  const durationMs = quick ? 1_000 : 9_000;
  const workers = Array.from({ length: 3 }, () =>
    startSharedBudgetWorker([
      REDIS_URL,
      prefix,
      `shared-${store}`,
      String(limit),
      String(periodMs),
      String(durationMs),
      "5",
      store,
    ]),
  );
  await Promise.all(workers.map((w) => w.ready));
  const start = Date.now() + 200;
  for (const w of workers) w.start(start);
  const perWorker = await Promise.all(workers.map((w) => w.grants));
  const admitted = perWorker.flat().filter((t) => t >= start && t < start + durationMs).length;
  const allowed = limit + (durationMs / periodMs) * limit;
  return { admitted, allowed, limit, periodMs, durationMs };
}

export async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const redis = new Redis(REDIS_URL);
  const prefix = `llm-bench-rl-${randomUUID()}`;
  try {
    const costs = await decisionCosts(redis, prefix, quick);
    const shared = await sharedBudget("redis", prefix, quick);
    const naive = await sharedBudget("memory", prefix, quick);
    await redis.del(...new RedisRateLimitStore(redis, { prefix }).keysOf("shared-redis"));
    const error = (admitted: number) => (admitted - shared.allowed) / shared.allowed;
    const acceptance: AcceptanceRow[] = [
      {
        check:
          "3 processes sharing one budget (Redis store): grants in the window vs what the budget allows",
        target: "within ±5 %",
        measured: `${shared.admitted} of ${shared.allowed} (${fmt(error(shared.admitted) * 100)} %)`,
        baseline: `each process its own in-memory budget: ${naive.admitted} (${fmt(naive.admitted / naive.allowed, 2)}× the budget)`,
        met: Math.abs(error(shared.admitted)) <= 0.05,
      },
    ];
    return {
      id: "ratelimit/limiter",
      title: "Rate limits: cost of a decision, and one budget across processes",
      command: rerunCommand("ratelimit/limiter.bench.ts"),
      measures: [
        "packages/ratelimit/src",
        "packages/ratelimit/test/fixtures",
        "bench/lib/measure.ts",
      ],
      intro: [
        `Node ${process.version}; Redis at ${REDIS_URL.replace(/\/\/.*@/, "//")} on this machine. Cost: median µs of wall time per call over batches, one call in flight (bench/lib/measure.ts). Accuracy: ${shared.limit} requests per ${shared.periodMs} ms (GCRA is scale-free in time: the same as ${shared.limit} per minute on a faster clock), 3 processes × 5 loops that always want more, grants counted over ${shared.durationMs} ms from a common start.`,
      ],
      tables: [
        { title: "Cost of one decision", columns: ["path", "µs / call"], rows: costs },
        {
          title: "One budget, three processes",
          columns: ["design", "granted in window", "budget allows", "ratio"],
          rows: [
            [
              "**@llm/ratelimit, Redis store (shared)**",
              shared.admitted,
              shared.allowed,
              fmt(shared.admitted / shared.allowed, 3),
            ],
            [
              "each process its own in-memory budget",
              naive.admitted,
              naive.allowed,
              fmt(naive.admitted / naive.allowed, 3),
            ],
          ],
          note: "The budget allows its burst (the limit) plus one request per emission interval (period ÷ limit) over the window.",
        },
      ],
      acceptance,
    };
  } finally {
    await redis.quit();
  }
}

await runIfMain(import.meta.url, run);
