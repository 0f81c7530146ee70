import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { RedisRateLimitStore } from "../src/redis.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

interface Worker {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  grants: Promise<number[]>;
}

function startWorker(args: string[]): Worker {
  const child = spawn(
    process.execPath,
    [
      "--conditions=@llm/source",
      "--import",
      "tsx",
      join(packageDir, "test/fixtures/shared-budget-worker.ts"),
      ...args,
    ],
    { cwd: packageDir },
  );
  let out = "";
  let err = "";
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk;
    if (out.startsWith("ready\n")) onReady();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk;
  });
  const grants = new Promise<number[]>((resolve, reject) => {
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`worker exited ${code}: ${err}`));
      resolve(JSON.parse(out.slice("ready\n".length)) as number[]);
    });
  });
  return { child, ready, grants };
}

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
      startWorker([
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
    for (const w of workers) w.child.stdin.end(`${start}\n`);
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
