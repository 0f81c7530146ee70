import { join } from "node:path";
import { poisonedAnswers } from "@llm/cache/testing";
import type { ChatRequest } from "@llm/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLLMContainer, type LLMContainer, TOKENS } from "../src/index.js";
import { type Mocks, packageDir, sourceConditions, startMocks, tempDir } from "./helpers.js";

let mocks: Mocks;
const tmp = tempDir();
beforeAll(async () => {
  mocks = await startMocks();
});
afterAll(async () => {
  await mocks.close();
  tmp.remove();
});

let container: LLMContainer | undefined;
afterEach(async () => {
  await container?.dispose();
  container = undefined;
});

const ask: ChatRequest = { messages: [{ role: "user", content: "Is the cache honest?" }] };

async function containerWith(name: string, integrity = ""): Promise<LLMContainer> {
  const file = tmp.write(
    `${name}.yaml`,
    `clients:
  main:
    provider: openai
    model: gpt-4o-mini
    apiKey: sk-test-openai-key-123456
    baseURL: ${mocks.openai.baseURL}
cache:
  l2: { type: sqlite, path: ${join(tmp.dir, `${name}.db`)} }
${integrity}`,
  );
  container = await createLLMContainer({
    config: { files: [file], env: {} },
    baseDir: packageDir,
    conditions: sourceConditions,
  });
  return container;
}

/**
 * The client, its cache, the store behind it and the key of `ask` — learnt
 * from a real call (`providerMetadata.cacheKey`), since the key is scoped to
 * the provider instance — with L1 emptied so the next read goes to L2.
 */
async function internals(c: LLMContainer) {
  const client = c.clients.get("main");
  const cache = c.get(TOKENS.CacheMiddleware)!;
  const first = await client.generate(ask);
  await cache.flush();
  const clearL1 = () => c.get(TOKENS.CacheL1).clear();
  clearL1();
  return {
    client,
    cache,
    first,
    key: String(first.providerMetadata?.cacheKey),
    store: c.get(TOKENS.CacheStore)!,
    clearL1,
  };
}

const envelope = (data: unknown) => JSON.stringify({ v: 1, at: 1, exp: null, tags: [], data });

describe("poisoned L2 entries through createLLMContainer", () => {
  it.each(poisonedAnswers())(
    "serves $name as a miss, reports it once by path and replaces it",
    async ({ answer, path }) => {
      const c = await containerWith(`poison-${path.replace(/\W/g, "")}`);
      const reports: Array<{ key: string; level: string; reason: string }> = [];
      c.get(TOKENS.Hooks).hook("onCacheCorrupt", (payload) => void reports.push(payload));
      const { client, cache, key, store } = await internals(c);
      await store.set(key, envelope(answer));

      const fresh = await client.generate(ask);
      expect(fresh.origin).toEqual({ type: "upstream" });
      expect(fresh.text.length).toBeGreaterThan(0);
      expect(reports).toEqual([{ key, level: "l2", reason: expect.stringContaining(path) }]);
      expect(cache.stats().corrupt).toBe(1);

      await cache.flush();
      const hit = await client.generate(ask);
      expect(hit.origin).toMatchObject({ type: "cache", level: "l1", key });
      expect(hit.text).toBe(fresh.text);
      expect(reports).toHaveLength(1);
    },
  );

  it("streams past a poisoned recorded stream", async () => {
    const c = await containerWith("poison-stream");
    const { client, key, store, cache } = await internals(c);
    const poisoned = poisonedAnswers().find((p) => p.name.includes("finish lacks usage"))!;
    await store.set(key, envelope(poisoned.answer));
    let text = "";
    for await (const event of client.stream(ask))
      if (event.type === "text-delta") text += event.delta;
    expect(text.length).toBeGreaterThan(0);
    expect(cache.stats().corrupt).toBe(1);
  });
});

describe("cache.integrity through createLLMContainer", () => {
  const signed = `  integrity: { secret: "\${CACHE_SECRET:-integrity-secret-0123456789}" }\n`;

  it("reads back its own signed entries from L2", async () => {
    const c = await containerWith("signed", signed);
    const { client, key, store, first } = await internals(c);
    expect(await store.get(key)).toMatch(/^h1\./);
    const hit = await client.generate(ask);
    expect(hit.origin).toMatchObject({ type: "cache", level: "l2" });
    expect(hit.text).toBe(first.text);
  });

  it("refuses an unsigned entry planted in the store: a miss, reported, replaced by a signed one", async () => {
    const c = await containerWith("unsigned", signed);
    const reports: string[] = [];
    c.get(TOKENS.Hooks).hook("onCacheCorrupt", ({ reason }) => void reports.push(reason));
    const { client, cache, key, store } = await internals(c);
    const planted = {
      v: 1,
      kind: "response",
      storedAt: 1,
      response: {
        id: "x",
        model: "gpt-4o-mini",
        provider: "openai",
        text: "planted answer",
        content: [{ type: "text", text: "planted answer" }],
        toolCalls: [],
        finishReason: "stop",
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        origin: { type: "upstream" },
      },
    };
    await store.set(key, envelope(planted));
    const response = await client.generate(ask);
    expect(response.text).not.toBe("planted answer");
    expect(response.origin).toEqual({ type: "upstream" });
    expect(reports).toEqual(["entry is not signed"]);
    await cache.flush();
    expect(await store.get(key)).toMatch(/^h1\./);
  });
});
