import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";

const client = { provider: "openai", model: "gpt-4o-mini" };

describe("a Redis Cluster L2", () => {
  it("takes startup nodes instead of a url, kept secret, and refuses both or neither", async () => {
    const config = await loadConfig({
      env: {},
      overrides: {
        cache: {
          l2: { type: "redis", cluster: ["redis://:pw@10.0.0.1:7000", "redis://10.0.0.2:7000"] },
        },
      },
    });
    const l2 = config.cache.l2;
    expect(l2.type === "redis" && l2.cluster?.map((node) => node.reveal())).toEqual([
      "redis://:pw@10.0.0.1:7000",
      "redis://10.0.0.2:7000",
    ]);
    expect(JSON.stringify(l2)).not.toContain(":pw@");
    for (const l2Input of [
      { type: "redis" as const },
      { type: "redis" as const, url: "redis://a", cluster: ["redis://b"] },
    ]) {
      await expect(loadConfig({ env: {}, overrides: { cache: { l2: l2Input } } })).rejects.toThrow(
        /cache\.l2.*one of url, cluster, sentinel/s,
      );
    }
  });
});

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
    expect(store.url?.reveal()).toBe("redis://:hunter2@127.0.0.1:6379");
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
