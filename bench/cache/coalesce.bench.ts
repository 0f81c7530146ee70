/**
 * Cross-process single-flight (`cache.l2.coalesce`): N processes sharing one
 * Redis L2 each receive the same burst of identical requests for a key none
 * of them has. Counted at the testkit server: upstream calls per burst; per
 * caller: p50 / p95 ms to the answer (generate) or to the first and last
 * event (stream), from the burst's common start.
 *
 * Against, in the same run: the same processes without the coordinator (each
 * keeps its in-process single-flight, so one call per process per burst).
 * Each process is a real child (bench/cache/coalesce-worker.ts).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startMockProvider } from "@llm/testkit";
import { Redis } from "ioredis";
import { fmt } from "../lib/measure.ts";
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { AcceptanceRow, BenchOptions, BenchResult, Cell } from "../lib/result.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PROCESSES = 4;
/** Upstream: headers after 300 ms, then 20 frames 10 ms apart (a short model answer). */
const LATENCY = { headersMs: 300, chunkMs: 10 };
const ANSWER = Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ");

interface Sample {
  firstMs: number;
  lastMs: number;
}

async function burst(
  baseURL: string,
  coalesce: "on" | "off",
  mode: "generate" | "stream",
  callers: number,
  rounds: number,
): Promise<{ samples: Sample[]; namespace: string }> {
  const namespace = `llm-bench-coalesce-${randomUUID()}`;
  const gapMs = 1_500;
  const script = fileURLToPath(new URL("./coalesce-worker.ts", import.meta.url));
  const workers = Array.from({ length: PROCESSES }, () => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=@llm/source",
        "--import",
        "tsx",
        script,
        REDIS_URL,
        namespace,
        baseURL,
        coalesce,
        mode,
        String(callers),
        String(rounds),
        String(gapMs),
      ],
      { stdio: ["pipe", "pipe", "inherit"] },
    );
    const lines = createInterface({ input: child.stdout });
    let onReady!: () => void;
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    const report = new Promise<Sample[]>((resolve, reject) => {
      lines.on("line", (line) => {
        if (line === "ready") onReady();
        else resolve((JSON.parse(line) as { samples: Sample[] }).samples);
      });
      child.once("exit", (code) => reject(new Error(`coalesce worker exited (${code})`)));
    });
    return { child, ready, report };
  });
  await Promise.all(workers.map((w) => w.ready));
  const t0 = Date.now() + 300;
  for (const w of workers) w.child.stdin.write(`go ${t0}\n`);
  const samples = (await Promise.all(workers.map((w) => w.report))).flat();
  return { samples, namespace };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function dropNamespace(redis: Redis, namespace: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `{${namespace}}:*`, "COUNT", 500);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== "0");
}

export async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const callers = quick ? 10 : 25;
  const rounds = quick ? 2 : 8;
  const mock = await startMockProvider({ provider: "openai", latency: LATENCY, chunkSize: 4 });
  mock.when(() => true, { text: ANSWER });
  const redis = new Redis(REDIS_URL);
  const rows: Cell[][] = [];
  const calls: Record<string, number> = {};
  try {
    for (const mode of ["generate", "stream"] as const) {
      for (const coalesce of ["on", "off"] as const) {
        mock.reset();
        mock.when(() => true, { text: ANSWER });
        const { samples, namespace } = await burst(mock.baseURL, coalesce, mode, callers, rounds);
        await dropNamespace(redis, namespace);
        const perBurst = mock.requests.length / rounds;
        calls[`${mode}-${coalesce}`] = perBurst;
        const first = samples.map((s) => s.firstMs);
        const last = samples.map((s) => s.lastMs);
        rows.push([
          `${coalesce === "on" ? "**coalesce on**" : "coalesce off (in-process single-flight only)"}, ${mode}`,
          fmt(perBurst, 2),
          fmt(percentile(first, 50), 0),
          fmt(percentile(first, 95), 0),
          mode === "stream" ? fmt(percentile(last, 50), 0) : "—",
          mode === "stream" ? fmt(percentile(last, 95), 0) : "—",
        ]);
      }
    }
  } finally {
    await redis.quit();
    await mock.close();
  }
  const acceptance: AcceptanceRow[] = (["generate", "stream"] as const).map((mode) => ({
    check: `${PROCESSES} processes × ${callers} identical ${mode} calls per burst: upstream calls per burst`,
    target: "1",
    measured: fmt(calls[`${mode}-on`] ?? Number.NaN, 2),
    baseline: `without the coordinator: ${fmt(calls[`${mode}-off`] ?? Number.NaN, 2)}`,
    met: calls[`${mode}-on`] === 1,
  }));
  return {
    id: "cache/coalesce",
    title: "Cross-process single-flight: N processes × an identical burst",
    command: rerunCommand("cache/coalesce.bench.ts"),
    measures: [
      "packages/cache/src/coordinator",
      "packages/cache/src/middleware",
      "packages/cache-redis/src",
      "bench/cache/coalesce-worker.ts",
    ],
    intro: [
      `Node ${process.version}; Redis at ${REDIS_URL.replace(/\/\/.*@/, "//")} on this machine; a testkit OpenAI server with ${LATENCY.headersMs} ms to headers and ${LATENCY.chunkMs} ms between frames. ${PROCESSES} child processes, each a cacheMiddleware over L1 + RedisStore; per burst every process sends ${callers} identical requests for a prompt nobody has cached, all from one common start; ${rounds} bursts per row. Latencies are ms from the burst's start to a caller's answer (generate) or first / last event (stream), over all ${PROCESSES * callers * rounds} callers of a row.`,
    ],
    tables: [
      {
        title: "Upstream calls and latency per burst",
        columns: [
          "configuration",
          "upstream calls / burst",
          "p50 answer or first event (ms)",
          "p95 (ms)",
          "p50 last event (ms)",
          "p95 last event (ms)",
        ],
        rows,
        note: "Without the coordinator every process makes its own call (its in-process single-flight still merges its own callers). With it, one process leads under a lease in Redis; the others replay its events live from a Redis Stream (stream) or read its stored answer when it ends (generate).",
      },
    ],
    acceptance,
  };
}

await runIfMain(import.meta.url, run);
