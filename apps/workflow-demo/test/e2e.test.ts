import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Summary } from "../src/cli/summary.js";
import { appDir, FAST, freshDataDir, runApp } from "./run-app.js";

const summaryOf = (stdout: string) => JSON.parse(stdout) as Summary;

describe("workflow-demo, run as a process against testkit", () => {
  it("runs cold, then warm with every answer served from the SQLite cache", async () => {
    const dataDir = freshDataDir();
    const cold = await runApp([...FAST, "--data-dir", dataDir]);
    expect(cold.stderr).not.toMatch(/failed/);
    expect(cold.code).toBe(0);
    const first = summaryOf(cold.stdout);
    expect(first.tickets).toBe(40);
    expect(first.requests).toBe(160);
    expect(first.failedRequests).toBe(0);
    expect(first.upstreamCalls).toBeGreaterThan(0);
    expect(first.connections.reuseRatio).toBeGreaterThan(0.5);

    const warm = await runApp([...FAST, "--data-dir", dataDir]);
    expect(warm.code).toBe(0);
    const second = summaryOf(warm.stdout);
    expect(second.hitRate).toBeGreaterThanOrEqual(0.8);
    expect(second.hitsByLevel.l2).toBeGreaterThan(0);
    expect(second.upstreamCalls).toBe(0);
    // Behaviour, not timing: every answer of the warm run came from the cache, none paid tokens.
    // How much faster that is belongs in bench/ (e2e/replay: llm-kit vs llm-kit cache off).
    const served = Object.values(second.hitsByLevel).reduce((a, b) => a + b, 0);
    expect(served).toBe(second.requests - second.failedRequests);
    expect(second.tokens.used).toBe(0);
    expect(second.tokens.saved).toBeGreaterThan(0);

    // The audit plugin named by the config wrote one redacted line per answered call.
    const audit = readFileSync(join(dataDir, "audit.log"), "utf8").trim().split("\n");
    expect(audit.length).toBeGreaterThanOrEqual(320);
    expect(audit.join("\n")).not.toContain("offline-demo-key");
  });

  it("shares the cache between processes through Redis with --redis", async () => {
    // Each process has its own data folder (so no SQLite warmth): a hit in the second can only come from Redis.
    const namespace = `workflow-demo-test-${process.pid}-${Date.now()}`;
    const redis = ["--redis", "redis://127.0.0.1:6379", "--redis-namespace", namespace];
    try {
      const first = await runApp([...FAST, ...redis, "--data-dir", freshDataDir()]);
      expect(first.code).toBe(0);
      const second = await runApp([...FAST, ...redis, "--data-dir", freshDataDir()]);
      expect(second.code).toBe(0);
      const summary = summaryOf(second.stdout);
      expect(summary.hitRate).toBeGreaterThanOrEqual(0.8);
      expect(summary.hitsByLevel.l2).toBeGreaterThan(0);
    } finally {
      execFileSync("sh", [
        "-c",
        `redis-cli -h 127.0.0.1 --scan --pattern '{${namespace}}:*' | xargs -r redis-cli -h 127.0.0.1 del`,
      ]);
    }
  });

  it("shows the cold path with --no-cache", async () => {
    const run = await runApp([...FAST, "--no-cache", "--data-dir", freshDataDir()]);
    expect(run.code).toBe(0);
    const summary = summaryOf(run.stdout);
    expect(summary.cacheEnabled).toBe(false);
    expect(summary.hitRate).toBe(0);
    expect(summary.upstreamCalls).toBe(160);
  });

  it("answers through the fallback when a provider is down", async () => {
    const run = await runApp([
      ...FAST,
      "--provider-down",
      "openai",
      "--no-cache",
      "--data-dir",
      freshDataDir(),
    ]);
    expect(run.code).toBe(0);
    const summary = summaryOf(run.stdout);
    expect(summary.failedRequests).toBe(0);
    expect(summary.fallbacks).toBeGreaterThanOrEqual(80); // classify + sentiment of every ticket
  });

  it("exits 2 with a clear message on an invalid config file", async () => {
    const dataDir = freshDataDir();
    const bad = join(dataDir, "bad.yaml");
    writeFileSync(
      bad,
      readFileSync(join(appDir, "llm.config.yaml"), "utf8")
        .replace("provider: gemini", "provider: 42")
        .replace("budgetBytes: 128MB", "budgetBytes: lots"),
    );
    const run = await runApp([...FAST, "--config", bad, "--data-dir", dataDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Invalid configuration/);
    expect(run.stderr).toMatch(/memory\.budgetBytes/);
    expect(run.stderr).toMatch(/bad\.yaml:\d+:\d+/);
  });

  it("exits 2 on a bad argument", async () => {
    const run = await runApp(["--limit", "zero"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--limit: expected a whole number/);
  });
});
