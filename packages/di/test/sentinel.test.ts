import { type PrivateRedisSentinel, startPrivateRedisSentinel } from "@llm/cache-redis/testing";
import type { ChatRequest } from "@llm/core";
import { RateLimitBudgetError } from "@llm/ratelimit";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type LLMContainer, TOKENS } from "../src/index.js";
import { containerFromYaml, tempDir } from "./helpers.js";

/**
 * `cache.l2.sentinel` and `rateLimits.store.sentinel` from a YAML file, on a
 * private Sentinel deployment with passwords on the data nodes and on the
 * sentinels: two containers (two processes) share answers and one budget.
 */
const KEY = "sk-sentinel-0123456789abcdef";
const PASSWORD = "master-password-in-env";
const SENTINEL_PASSWORD = "sentinel-password-in-env";
const ask = (content: string): ChatRequest => ({
  messages: [{ role: "user", content }],
  temperature: 0,
});

let deployment: PrivateRedisSentinel;
let server: MockProvider;
const tmp = tempDir();
const open: LLMContainer[] = [];

beforeAll(async () => {
  [deployment, server] = await Promise.all([
    startPrivateRedisSentinel({ password: PASSWORD, sentinelPassword: SENTINEL_PASSWORD }),
    startMockProvider({ provider: "openai", apiKey: KEY }),
  ]);
}, 60_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
});
afterAll(async () => {
  await server?.close();
  await deployment?.stop();
  tmp.remove();
});

function yaml(): string {
  const sentinel = [
    `{ name: ${deployment.name}, password: "${SENTINEL_PASSWORD}", sentinels: [`,
    deployment.sentinels.map(({ host, port }) => `"redis://${host}:${port}"`).join(", "),
    "] }",
  ].join("");
  return [
    "clients:",
    "  a:",
    "    provider: openai",
    "    model: gpt-4o-mini",
    `    apiKey: ${KEY}`,
    `    baseURL: ${server.baseURL}`,
    "    rateLimit: { requestsPerMinute: 3, maxWaitMs: 0 }",
    "cache:",
    `  l2: { type: redis, namespace: di-sentinel, password: "${PASSWORD}", sentinel: ${sentinel} }`,
    "rateLimits:",
    `  store: { type: redis, prefix: di-sentinel-rl, password: "${PASSWORD}", sentinel: ${sentinel} }`,
    "",
  ].join("\n");
}

describe("a Sentinel deployment from config", () => {
  it("shares answers and one rate-limit budget between containers, on the master the sentinels name", async () => {
    const first = await containerFromYaml(tmp, yaml(), open);
    const second = await containerFromYaml(tmp, yaml(), open);

    await first.clients.get("a").generate(ask("shared"));
    await first.get(TOKENS.CacheMiddleware)!.flush();
    const fromSecond = await second.clients.get("a").generate(ask("shared"));
    expect(fromSecond.origin).toMatchObject({ type: "cache", level: "l2" });

    await second.clients.get("a").generate(ask("two"));
    await first.clients.get("a").generate(ask("three"));
    await expect(second.clients.get("a").generate(ask("four"))).rejects.toBeInstanceOf(
      RateLimitBudgetError,
    );
    expect(server.requests).toHaveLength(3);

    // Both live on the master, found the way an operator would: by asking a sentinel.
    const master = new Redis({
      sentinels: deployment.sentinels,
      name: deployment.name,
      sentinelPassword: SENTINEL_PASSWORD,
      password: PASSWORD,
    });
    try {
      const port = /tcp_port:(\d+)/.exec(await master.info("server"))?.[1];
      expect(Number(port)).toBe(await deployment.masterPort());
      const [, cacheKeys] = await master.scan("0", "MATCH", "{di-sentinel}:*", "COUNT", 1_000);
      expect(cacheKeys.length).toBeGreaterThan(0);
      expect(await master.keys("{di-sentinel-rl:*")).toEqual(["{di-sentinel-rl:client:a}:r"]);
    } finally {
      master.disconnect();
    }
  });
});
