import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { RedisRateLimitStore } from "../src/redis.js";
import { startSharedBudgetWorker } from "./fixtures/start-shared-budget-worker.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("one budget shared by three processes through Redis", () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `llm-test-rl-${randomUUID()}`;
  afterAll(async () => {
    await redis.del(...new RedisRateLimitStore(redis, { prefix }).keysOf("shared"));
    await redis.quit();
  });

  it("admits what the budget allows, within 5 %, however the processes compete", async () => {
    // 60 requests per 3 s: the same GCRA as 60 per minute, on a 20× faster clock so the test
    // measures 2 full periods in 6 s. Each process runs 5 loops that always want more.
    const limit = 60;
    const periodMs = 3_000;
    const durationMs = 6_000;
    const workers = Array.from({ length: 3 }, () =>
      startSharedBudgetWorker([
        REDIS_URL,
        prefix,
        "shared",
        String(limit),
        String(periodMs),
        String(durationMs),
        "5",
      ]),
    );
    await Promise.all(workers.map((w) => w.ready));
    const start = Date.now() + 200;
    for (const w of workers) w.start(start);
    const perWorker = await Promise.all(workers.map((w) => w.grants));

    const inWindow = perWorker.map(
      (grants) => grants.filter((t) => t >= start && t < start + durationMs).length,
    );
    const admitted = inWindow.reduce((a, b) => a + b, 0);
    // An idle budget's burst (limit) plus one request per emission interval (periodMs / limit).
    const allowed = limit + (durationMs / periodMs) * limit;
    expect(Math.abs(admitted - allowed) / allowed).toBeLessThanOrEqual(0.05);
    // No process is starved: places are handed out in arrival order across all of them.
    for (const count of inWindow) expect(count).toBeGreaterThan(allowed / 3 / 2);
  }, 40_000);
});
