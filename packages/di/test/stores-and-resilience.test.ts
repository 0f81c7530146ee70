import type { CacheStore } from "@llm/cache";
import { MemoryStore } from "@llm/cache";
import { ConfigError, SecretURL } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCacheStore, createLLMContainer, TOKENS } from "../src/index.js";
import {
  fourProviderYaml,
  type Mocks,
  packageDir,
  sourceConditions,
  startMocks,
  tempDir,
} from "./helpers.js";

let mocks: Mocks;
const tmp = tempDir();
beforeAll(async () => {
  mocks = await startMocks();
});
afterAll(async () => {
  await mocks.close();
  tmp.remove();
});

describe("createCacheStore", () => {
  it("uses a store type a plugin registered", async () => {
    const store = new MemoryStore();
    const made = await createCacheStore({ type: "acme-kv" } as never, {
      baseDir: packageDir,
      conditions: sourceConditions,
      pluginStores: new Map([["acme-kv", () => store]]),
    });
    expect(made).toBe(store);
  });

  it("explains an unknown store type and a store package that is not installed", async () => {
    const context = { baseDir: tmp.dir, conditions: [], pluginStores: new Map() };
    await expect(createCacheStore({ type: "acme-kv" } as never, context)).rejects.toThrow(
      /Unknown cache store type "acme-kv"/,
    );
    await expect(createCacheStore({ type: "sqlite", path: "x.db" }, context)).rejects.toThrow(
      /needs @llm\/cache-sqlite: run `pnpm add @llm\/cache-sqlite`/,
    );
    await expect(createCacheStore({ type: "none" }, context)).resolves.toBeUndefined();
  });

  it("starts with a Redis L2 that is down, serving from L1", async () => {
    const store = (await createCacheStore(
      {
        type: "redis",
        url: new SecretURL("redis://127.0.0.1:1"),
        namespace: "down",
        coalesce: { enabled: false, leaseMs: 1, maxWaitMs: 1, maxEvents: 1, maxEventBytes: 1 },
      },
      { baseDir: packageDir, conditions: sourceConditions, pluginStores: new Map() },
    )) as CacheStore;
    await expect(store.get("k")).rejects.toBeDefined();
    await store.close?.();
  });
});

describe("client chains from config", () => {
  it("sends configured headers, secrets revealed only on the wire, and opens a breaker after failures", async () => {
    const file = tmp.write(
      "breaker.yaml",
      fourProviderYaml(mocks).replace(
        "  local:\n    provider: ollama",
        `  guarded:
    provider: openai
    model: gpt-4o-mini
    apiKey: sk-guarded-key-123456
    baseURL: ${mocks.openai.baseURL}
    headers: { x-trace: demo, authorization: "Bearer sk-header-secret-123456" }
    timeouts: { totalMs: 5s }
    circuitBreaker: { enabled: true, failureThreshold: 2, resetTimeoutMs: 60s }
    cache: false
  local:
    provider: ollama`,
      ),
    );
    const c = await createLLMContainer({
      config: { files: [file], env: {} },
      baseDir: packageDir,
      conditions: sourceConditions,
    });
    try {
      const client = c.clients.get("guarded");
      await client.generate({ messages: [{ role: "user", content: "hello" }] });
      expect(mocks.openai.requests.at(-1)!.headers["x-trace"]).toBe("demo");
      expect(mocks.openai.requests.at(-1)!.headers.authorization).toBe(
        "Bearer sk-header-secret-123456",
      );
      mocks.openai.when(() => true, { status: 500 }, { times: 2 });
      await expect(
        client.generate({ messages: [{ role: "user", content: "a" }] }),
      ).rejects.toThrow();
      await expect(
        client.generate({ messages: [{ role: "user", content: "b" }] }),
      ).rejects.toThrow();
      const before = mocks.openai.requests.length;
      await expect(client.generate({ messages: [{ role: "user", content: "c" }] })).rejects.toThrow(
        /Circuit "guarded" is open/,
      );
      expect(mocks.openai.requests.length).toBe(before); // the open breaker did not call upstream
      expect(c.get(TOKENS.Config).clients.guarded!.cache).toBe(false);
    } finally {
      await c.dispose();
    }
  });

  it("fails construction with a ConfigError for an invalid file", async () => {
    const file = tmp.write("bad.yaml", "clients:\n  x: { provider: 1 }\n");
    await expect(
      createLLMContainer({ config: { files: [file], env: {} }, baseDir: packageDir }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
