import { randomUUID } from "node:crypto";
import type { ChatRequest } from "@llm/core";
import { RateLimitBudgetError } from "@llm/ratelimit";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type LLMContainer, TOKENS } from "../src/index.js";
import { containerFromYaml, tempDir } from "./helpers.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const KEY = "sk-rate-limit-0123456789abcdef";
// Each call costs its text plus maxTokens: a budget of requests is what these tests spend.
const ask = (content: string): ChatRequest => ({
  messages: [{ role: "user", content }],
  temperature: 1,
});

let server: MockProvider;
const tmp = tempDir();
const open: LLMContainer[] = [];

beforeAll(async () => {
  server = await startMockProvider({ provider: "openai", apiKey: KEY });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  server.reset();
});
afterAll(async () => {
  await server.close();
  tmp.remove();
});

function yaml(clients: Record<string, string>, extra = ""): string {
  let out = "clients:\n";
  for (const [name, rateLimit] of Object.entries(clients)) {
    out += `  ${name}:\n    provider: openai\n    model: gpt-4o-mini\n    apiKey: ${KEY}\n    baseURL: ${server.baseURL}\n`;
    out += `    rateLimit: ${rateLimit}\n`;
  }
  return `${out}cache:\n  enabled: false\n${extra}`;
}

const container = (text: string): Promise<LLMContainer> => containerFromYaml(tmp, text, open);

describe("clients.<name>.rateLimit through createLLMContainer", () => {
  it("refuses a client's calls beyond its budget before they reach the provider", async () => {
    const c = await container(
      yaml({
        a: "{ requestsPerMinute: 2, maxWaitMs: 0 }",
        b: "{ requestsPerMinute: 2, maxWaitMs: 0 }",
      }),
    );
    await c.clients.get("a").generate(ask("1"));
    await c.clients.get("a").generate(ask("2"));
    await expect(c.clients.get("a").generate(ask("3"))).rejects.toBeInstanceOf(
      RateLimitBudgetError,
    );
    // per: client (the default): b has its own budget.
    await c.clients.get("b").generate(ask("4"));
    expect(server.requests).toHaveLength(3);
  });

  it("shares one budget between clients of the same provider instance (per: provider) or API key (per: apiKey)", async () => {
    for (const per of ["provider", "apiKey"]) {
      const budget = `{ requestsPerMinute: 2, maxWaitMs: 0, per: ${per} }`;
      const c = await container(yaml({ a: budget, b: budget }));
      await c.clients.get("a").generate(ask("1"));
      await c.clients.get("b").generate(ask("2"));
      await expect(c.clients.get("a").generate(ask("3"))).rejects.toBeInstanceOf(
        RateLimitBudgetError,
      );
      await expect(c.clients.get("b").generate(ask("4"))).rejects.toBeInstanceOf(
        RateLimitBudgetError,
      );
    }
  });

  it("shares a budget between containers (processes) through a Redis store, and leaves Redis clean", async () => {
    const prefix = `llm-test-di-rl-${randomUUID()}`;
    const extra = `rateLimits:\n  store: { type: redis, url: "${REDIS_URL}", prefix: ${prefix} }\n`;
    const redis = new Redis(REDIS_URL);
    try {
      const first = await container(yaml({ a: "{ requestsPerMinute: 3, maxWaitMs: 0 }" }, extra));
      const second = await container(yaml({ a: "{ requestsPerMinute: 3, maxWaitMs: 0 }" }, extra));
      await first.clients.get("a").generate(ask("1"));
      await second.clients.get("a").generate(ask("2"));
      await first.clients.get("a").generate(ask("3"));
      await expect(second.clients.get("a").generate(ask("4"))).rejects.toBeInstanceOf(
        RateLimitBudgetError,
      );
      expect(first.get(TOKENS.RateLimitStore)).toBe(first.get(TOKENS.RateLimitStore));
      expect(await redis.keys(`{${prefix}:*`)).toEqual([`{${prefix}:client:a}:r`]);
    } finally {
      const keys = await redis.keys(`{${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  it("lets calls through, with one warning, when the Redis store is unreachable", async () => {
    const extra = 'rateLimits:\n  store: { type: redis, url: "redis://127.0.0.1:1" }\n';
    const warn = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const c = await container(yaml({ a: "{ requestsPerMinute: 1, maxWaitMs: 0 }" }, extra));
      await c.clients.get("a").generate(ask("1"));
      await c.clients.get("a").generate(ask("2"));
      expect(server.requests).toHaveLength(2);
      const warnings = warn.mock.calls.filter((call) =>
        String(call[0]).includes("rate-limit store unavailable"),
      );
      expect(warnings).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});
