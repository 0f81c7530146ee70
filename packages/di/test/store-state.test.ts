import type { ChildProcess } from "node:child_process";
import { freePort, startPrivateRedis, stopPrivateRedis } from "@llm/cache-redis/testing";
import type { CacheStoreStatePayload } from "@llm/hooks";
import { Hooks } from "@llm/hooks";
import { afterEach, describe, expect, it } from "vitest";
import { createLLMContainer, type LLMContainer, TOKENS } from "../src/index.js";
import { reportStoreState } from "../src/report-store-state.js";
import { packageDir, sourceConditions, tempDir } from "./helpers.js";

const tmp = tempDir();
let redis: ChildProcess | undefined;
let container: LLMContainer | undefined;

afterEach(async () => {
  await container?.dispose();
  container = undefined;
  if (redis) await stopPrivateRedis(redis);
  redis = undefined;
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("L2 store outages in the container", () => {
  it("calls onCacheStoreState once when Redis goes down and once when it is back", async () => {
    const port = await freePort();
    redis = await startPrivateRedis(port);
    const file = tmp.write(
      "redis.yaml",
      `
clients:
  fast: { provider: openai, model: gpt-4o-mini, apiKey: sk-test-openai-key-123456, baseURL: "http://127.0.0.1:1/v1" }
cache:
  enabled: true
  l2: { type: redis, url: "redis://127.0.0.1:${port}", namespace: "llmkit-di-state-${process.pid}" }
`,
    );
    container = await createLLMContainer({
      config: { files: [file], env: {} },
      baseDir: packageDir,
      conditions: sourceConditions,
    });
    const states: CacheStoreStatePayload[] = [];
    container.get(TOKENS.Hooks).hook("onCacheStoreState", (payload) => void states.push(payload));

    await stopPrivateRedis(redis);
    await until(() => states.length === 1, "the down report");
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // reconnection attempts fail meanwhile
    expect(states.map((s) => `${s.store}:${s.state}`)).toEqual(["redis:down"]);
    expect(states[0]?.error).toBeInstanceOf(Error);

    redis = await startPrivateRedis(port);
    await until(() => states.length === 2, "the up report");
    expect(states.map((s) => `${s.store}:${s.state}`)).toEqual(["redis:down", "redis:up"]);
  });

  it("logs one warning when the store goes down and one line when it is back", () => {
    const lines: string[] = [];
    const log = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
    const report = reportStoreState(new Hooks(), "redis", {
      debug: log("debug"),
      info: log("info"),
      warn: log("warn"),
      error: log("error"),
    });
    report({ state: "down", error: new Error("connect ECONNREFUSED") });
    report({ state: "up" });
    expect(lines).toEqual([
      'warn cache store "redis" is down; serving from L1 and upstream',
      'info cache store "redis" is back up',
    ]);
  });
});
