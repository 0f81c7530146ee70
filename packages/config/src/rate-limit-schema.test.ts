import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";

const client = { provider: "openai", model: "gpt-4o-mini" };

describe("rate limits", () => {
  it("reads clients.<name>.rateLimit with defaults, and a memory store by default", async () => {
    const config = await loadConfig({
      env: {},
      overrides: {
        clients: { fast: { ...client, rateLimit: { requestsPerMinute: 500, maxWaitMs: "5s" } } },
      },
    });
    expect(config.clients.fast?.rateLimit).toEqual({
      requestsPerMinute: 500,
      per: "client",
      maxWaitMs: 5_000,
      maxQueue: 1_000,
      learn: true,
    });
    expect(config.rateLimits.store).toEqual({ type: "memory" });
  });

  it("reads a Redis store with its URL kept secret, and the key secret from the environment", async () => {
    const config = await loadConfig({
      env: { LLM__RATE_LIMITS__KEY_SECRET: "0123456789abcdef-secret" },
      overrides: {
        rateLimits: { store: { type: "redis", url: "redis://:hunter2@127.0.0.1:6379" } },
      },
    });
    const store = config.rateLimits.store;
    expect(store.type).toBe("redis");
    if (store.type !== "redis") return;
    expect(store.prefix).toBe("llm:rl");
    expect(String(store.url)).not.toContain("hunter2");
    expect(store.url.reveal()).toBe("redis://:hunter2@127.0.0.1:6379");
    expect(config.rateLimits.keySecret?.reveal()).toBe("0123456789abcdef-secret");
  });

  it("names the bad key: a budget without a limit, a short key secret, an unknown scope", async () => {
    await expect(
      loadConfig({
        env: {},
        overrides: { clients: { fast: { ...client, rateLimit: { maxQueue: 3 } } } },
      }),
    ).rejects.toThrow(/clients\.fast\.rateLimit.*requestsPerMinute, tokensPerMinute or both/s);
    await expect(
      loadConfig({ env: {}, overrides: { rateLimits: { keySecret: "short" } } }),
    ).rejects.toThrow(/rateLimits\.keySecret.*16 characters/s);
    await expect(
      loadConfig({
        env: {},
        overrides: {
          // A YAML file can say anything; the typed overrides cannot, hence the cast.
          clients: {
            fast: { ...client, rateLimit: { requestsPerMinute: 1, per: "tenant" as "client" } },
          },
        },
      }),
    ).rejects.toThrow(/clients\.fast\.rateLimit\.per/);
  });
});
