import { join } from "node:path";
import { embeddingKeys, keyScope } from "@llm/cache";
import { ConfigError, type EmbeddingClient, embed, embedMany } from "@llm/core";
import { seededVector } from "@llm/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLLMContainer, type LLMContainer, TOKENS } from "../src/index.js";
import { type Mocks, packageDir, sourceConditions, startMocks, tempDir } from "./helpers.js";

let mocks: Mocks;
const tmp = tempDir();
const open: LLMContainer[] = [];
beforeAll(async () => {
  mocks = await startMocks();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  for (const m of [mocks.openai, mocks.anthropic, mocks.gemini, mocks.ollama]) m.reset();
});
afterAll(async () => {
  await mocks.close();
  tmp.remove();
});

async function container(name: string, cache: string): Promise<LLMContainer> {
  const file = tmp.write(
    `${name}.yaml`,
    `clients:
  search:
    provider: openai
    model: text-embedding-3-small
    apiKey: sk-test-openai-key-123456
    baseURL: ${mocks.openai.baseURL}
    cache: { namespace: docs }
  wide:
    provider: gemini
    model: text-embedding-004
    apiKey: AIzaTestKeyForGeminiOnly123456
    baseURL: ${mocks.gemini.baseURL}
  local:
    provider: ollama
    model: all-minilm
    baseURL: ${mocks.ollama.baseURL}
  chat:
    provider: anthropic
    model: claude-3-5-haiku-latest
    apiKey: sk-ant-test-key-123456
    baseURL: ${mocks.anthropic.baseURL}
cache:
${cache}`,
  );
  const c = await createLLMContainer({
    config: { files: [file], env: {} },
    baseDir: packageDir,
    conditions: sourceConditions,
  });
  open.push(c);
  return c;
}

const sqlite = (name: string) => `  l2: { type: sqlite, path: ${join(tmp.dir, `${name}.db`)} }`;
const sentInputs = () => mocks.openai.requests.map((r) => (r.body as { input: string[] }).input);

/** The L2 key `text` gets through the container's `search` client (namespace `docs`, instance scope). */
function keyOf(client: EmbeddingClient, text: string, dimensions: number): string {
  return embeddingKeys([text], {
    provider: client.provider,
    model: client.model ?? "",
    scope: keyScope({})(client),
    dimensions,
    providerOptions: undefined,
    namespace: "docs",
  })[0] as string;
}

describe("embeddings through createLLMContainer", () => {
  it("README example: embeds with a configured client, seen texts from the cache", async () => {
    const c = await container("readme", sqlite("readme"));
    const search = c.embeddings.get("search");
    const first = await embedMany(search, ["red", "green", "blue"], { dimensions: 64 });
    const second = await embedMany(search, ["green", "violet", "red"], { dimensions: 64 });
    expect(second.embeddings).toEqual(
      ["green", "violet", "red"].map((t) => seededVector(t, 64, 1)),
    );
    expect(first.embeddings[0]).toEqual(second.embeddings[2]);
    expect(second.cached).toBe(2);
    expect(sentInputs()).toEqual([["red", "green", "blue"], ["violet"]]);
  });

  it("serves vectors from the L2 store after L1 is emptied", async () => {
    const c = await container("l2", sqlite("l2"));
    const search = c.embeddings.get("search");
    await embed(search, "persisted", { dimensions: 16 });
    await c.embeddings.flush();
    c.get(TOKENS.EmbeddingCache)?.l1.clear();
    const again = await embed(search, "persisted", { dimensions: 16 });
    expect(again.cached).toBe(true);
    expect(again.embedding).toEqual(seededVector("persisted", 16, 1));
    expect(mocks.openai.requests).toHaveLength(1);
  });

  it("treats a poisoned L2 vector as a miss, reported once through onCacheCorrupt", async () => {
    const c = await container("poison", sqlite("poison"));
    const reports: Array<{ key: string; level: string; reason: string }> = [];
    c.get(TOKENS.Hooks).hook("onCacheCorrupt", (payload) => void reports.push(payload));
    const search = c.embeddings.get("search");
    await embed(search, "target", { dimensions: 8 });
    await c.embeddings.flush();
    c.get(TOKENS.EmbeddingCache)?.l1.clear();
    const key = keyOf(search, "target", 8);
    const store = c.get(TOKENS.CacheStore)!;
    expect(await store.get(key)).toContain('"f32"');
    await store.set(
      key,
      JSON.stringify({
        v: 1,
        at: 1,
        exp: null,
        tags: [],
        data: { v: 1, model: "m", at: 1, dims: 8, f32: "AAAA" },
      }),
    );

    const fresh = await embed(search, "target", { dimensions: 8 });
    expect(fresh.cached).toBe(false);
    expect(fresh.embedding).toEqual(seededVector("target", 8, 1));
    expect(reports).toEqual([
      { key, level: "l2", reason: expect.stringContaining("embedding.f32") },
    ]);
  });

  it("embeds with Gemini and Ollama clients too", async () => {
    const c = await container("others", "  l2: { type: none }");
    expect((await embed(c.embeddings.get("wide"), "g")).embedding).toEqual(
      seededVector("g", 768, 1),
    );
    expect((await embed(c.embeddings.get("local"), "o")).embedding).toEqual(
      seededVector("o", 384, 1),
    );
    expect(c.embeddings.get("wide")).toBe(c.embeddings.get("wide"));
  });

  it("says which clients can embed, and refuses the others with a ConfigError naming them", async () => {
    const c = await container("refuse", "  l2: { type: none }");
    expect(c.embeddings.has("search")).toBe(true);
    expect(c.embeddings.has("chat")).toBe(false);
    expect(c.embeddings.has("nope")).toBe(false);
    expect(() => c.embeddings.get("chat")).toThrow(ConfigError);
    expect(() => c.embeddings.get("chat")).toThrow('provider "anthropic" has no embeddings');
    expect(() => c.embeddings.get("nope")).toThrow('Unknown client "nope"');
  });

  it("does not cache when the cache is off", async () => {
    const c = await container("off", "  enabled: false");
    const search = c.embeddings.get("search");
    await embed(search, "again", { dimensions: 4 });
    await embed(search, "again", { dimensions: 4 });
    expect(mocks.openai.requests).toHaveLength(2);
    expect(c.get(TOKENS.EmbeddingCache)).toBeUndefined();
  });
  it("retries a failed batch, opens the client's breaker and keeps its deadline, as the chat chain does", async () => {
    const file = tmp.write(
      "sturdy.yaml",
      `clients:
  sturdy:
    provider: openai
    model: text-embedding-3-small
    apiKey: sk-test-openai-key-123456
    baseURL: ${mocks.openai.baseURL}
    retries: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }
    circuitBreaker: { enabled: true, failureThreshold: 2, resetTimeoutMs: 60s }
    timeouts: { totalMs: 300 }
cache:
  enabled: false
`,
    );
    const c = await createLLMContainer({
      config: { files: [file], env: {} },
      baseDir: packageDir,
      conditions: sourceConditions,
    });
    open.push(c);
    const retries: { client: string | undefined; attempt: number }[] = [];
    c.get(TOKENS.Hooks).hook(
      "onRetry",
      ({ client, attempt }) => void retries.push({ client, attempt }),
    );
    const sturdy = c.embeddings.get("sturdy");

    // One 503, then the answer: the caller sees only the answer.
    mocks.openai.enqueue({ status: 503 });
    expect((await embed(sturdy, "first", { dimensions: 4 })).embedding).toEqual(
      seededVector("first", 4, 1),
    );
    expect(mocks.openai.requests).toHaveLength(2);
    expect(retries).toEqual([{ client: "sturdy", attempt: 1 }]);

    // A server that never answers: each attempt ends at the 300 ms deadline.
    mocks.openai.enqueue({ fault: "hang-headers" }, { fault: "hang-headers" });
    await expect(embed(sturdy, "slow", { dimensions: 4 })).rejects.toMatchObject({
      code: "TIMEOUT",
    });
    expect(mocks.openai.requests).toHaveLength(4);

    // Two failed attempts opened the breaker: the next batch is refused without a request.
    await expect(embed(sturdy, "refused", { dimensions: 4 })).rejects.toThrow(
      /Circuit "sturdy:embeddings" is open/,
    );
    expect(mocks.openai.requests).toHaveLength(4);
  });
});
