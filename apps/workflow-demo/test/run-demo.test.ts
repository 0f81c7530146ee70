import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDemoArgs } from "../src/cli/args.js";
import type { Summary } from "../src/cli/summary.js";
import { appDir, runDemo } from "../src/run-demo.js";
import { freshDataDir } from "./run-app.js";

const capture = () => {
  let text = "";
  const write = (s: string) => {
    text += s;
    return true;
  };
  const stream = { isTTY: false, write } as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
};

describe("runDemo in-process", () => {
  it("resolves every node's client from the container and caches repeated tickets", async () => {
    const out = capture();
    const err = capture();
    const dataDir = freshDataDir();
    const args = parseDemoArgs(
      ["--limit", "30", "--latency", "5-10", "--chunk-ms", "0", "--json", "--data-dir", dataDir],
      join(appDir, "llm.config.yaml"),
    );
    const code = await runDemo(args, { stdout: out.stream, stderr: err.stream, env: {} });
    expect(err.text()).toBe("");
    expect(code).toBe(0);
    const summary = JSON.parse(out.text()) as Summary;
    expect(summary.requests).toBe(120);
    // 30 tickets hold repeated FAQ questions: some answers come from the cache already on a cold run.
    expect(summary.hitRate).toBeGreaterThan(0);
    expect(summary.cacheMemoryBytes).toBeGreaterThan(0);
  });

  it("prints the table when not asked for JSON", async () => {
    const out = capture();
    const args = parseDemoArgs(
      [
        "--limit",
        "3",
        "--latency",
        "1-2",
        "--chunk-ms",
        "0",
        "--no-cache",
        "--data-dir",
        freshDataDir(),
      ],
      join(appDir, "llm.config.yaml"),
    );
    expect(await runDemo(args, { stdout: out.stream, stderr: capture().stream, env: {} })).toBe(0);
    expect(out.text()).toMatch(/LLM requests\s+12 \(0 failed\)/);
  });

  it("keeps serving in --watch mode until asked to stop", async () => {
    const out = capture();
    const err = capture();
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => {
      stop = r;
    });
    const args = parseDemoArgs(
      [
        "--limit",
        "2",
        "--latency",
        "1-2",
        "--chunk-ms",
        "0",
        "--watch",
        "--json",
        "--data-dir",
        freshDataDir(),
      ],
      join(appDir, "llm.config.yaml"),
    );
    const run = runDemo(args, { stdout: out.stream, stderr: err.stream, env: {}, stopSignal });
    while (!/T-1000: classifier=/.test(out.text())) await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(await run).toBe(0);
    expect(err.text()).toMatch(/watching the config/);
  });

  it("switches a client's model on an edit in --watch mode, and ignores an invalid edit", async () => {
    const dataDir = freshDataDir();
    const config = join(dataDir, "llm.config.yaml");
    const original = readFileSync(join(appDir, "llm.config.yaml"), "utf8").replace(
      "./plugins/audit-log.mjs",
      join(appDir, "plugins", "audit-log.mjs"),
    );
    writeFileSync(config, original);
    const out = capture();
    const err = capture();
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => {
      stop = r;
    });
    const args = parseDemoArgs(
      [
        "--config",
        config,
        "--limit",
        "1",
        "--latency",
        "1-2",
        "--chunk-ms",
        "0",
        "--watch",
        "--json",
        "--data-dir",
        dataDir,
      ],
      config,
    );
    const run = runDemo(args, { stdout: out.stream, stderr: err.stream, env: {}, stopSignal });
    const until = async (check: () => boolean) => {
      while (!check()) await new Promise((r) => setTimeout(r, 20));
    };
    await until(() => /T-1000: classifier=gpt-4o-mini/.test(out.text()));
    writeFileSync(config, original.replace("model: gpt-4o-mini", "model: gpt-4.1-nano"));
    await until(() => /T-1000: classifier=gpt-4\.1-nano/.test(out.text()));
    expect(err.text()).toMatch(/config reloaded: clients\.classifier\.model/);
    writeFileSync(config, original.replace("budgetBytes: 128MB", "budgetBytes: lots"));
    await until(() => /config edit rejected/.test(err.text()));
    const lines = out.text().split("\n").length;
    await until(() => out.text().split("\n").length > lines + 1);
    expect(out.text().trim().split("\n").at(-1)).toMatch(/classifier=gpt-4\.1-nano/);
    stop();
    expect(await run).toBe(0);
  });
});
