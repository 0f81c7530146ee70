import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeGeneration } from "@langchain/core/caches";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import type { ChatGeneration, Generation } from "@langchain/core/outputs";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { MemoryStore, SmartCache } from "@llm/cache";
import { RedisStore } from "@llm/cache-redis";
import { SqliteStore } from "@llm/cache-sqlite";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createLangChainCache,
  LLMKitCache,
  LLMKitChatModel,
  type StoredGenerations,
} from "../src/index.js";

let mock: MockProvider;
let dir: string;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
  dir = mkdtempSync(join(tmpdir(), "llm-langchain-"));
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => mock.reset());

const client = () =>
  createOpenAI({ baseURL: mock.baseURL, apiKey: "sk-cache-test-key", model: "gpt-4o-mini" });

const richGeneration = (): ChatGeneration => {
  const message = new AIMessage({
    content: "Let me check.",
    id: "chatcmpl-1",
    name: "assistant-1",
    tool_calls: [
      { id: "call_1", name: "weather", args: { city: "Paris", days: [1, 2] }, type: "tool_call" },
    ],
    invalid_tool_calls: [
      { id: "call_2", name: "broken", args: "{oops", error: "bad JSON", type: "invalid_tool_call" },
    ],
    response_metadata: { model_name: "gpt-4o-mini", finish_reason: "tool_calls" },
    additional_kwargs: { reasoning_content: "thinking" },
    usage_metadata: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
  });
  return {
    text: "Let me check.",
    message,
    generationInfo: { finish_reason: "tool_calls", logprobs: null },
  };
};

describe("LLMKitCache as a LangChain cache", () => {
  it("answers a repeated invoke from the cache without calling upstream", async () => {
    const { cache, tiered } = createLangChainCache();
    const model = new LLMKitChatModel({ client: client(), cache, temperature: 0 });
    const first = await model.invoke("What is a cache?");
    const second = await model.invoke("What is a cache?");
    expect(mock.requests).toHaveLength(1);
    expect(second.content).toBe(first.content);
    expect(second.response_metadata).toMatchObject({
      model_name: "gpt-4o-mini",
      finish_reason: "stop",
    });
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, writes: 1, corrupt: 0 });
    await tiered.close();
  });

  it("keeps tool calls through a hit", async () => {
    const { cache, tiered } = createLangChainCache();
    mock.enqueue({ toolCalls: [{ id: "call_7", name: "weather", arguments: { city: "Rome" } }] });
    const weather = {
      name: "weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    };
    const model = new LLMKitChatModel({ client: client(), cache }).bindTools([weather]);
    await model.invoke("Rome?");
    const hit = await model.invoke("Rome?");
    expect(hit.tool_calls).toEqual([
      { id: "call_7", name: "weather", args: { city: "Rome" }, type: "tool_call" },
    ]);
    expect(mock.requests).toHaveLength(1);
    await tiered.close();
  });

  it("serves any LangChain model, not only ours", async () => {
    const { cache, tiered } = createLangChainCache({ namespace: "fake" });
    const fake = new FakeListChatModel({ responses: ["first", "second"], cache });
    expect((await fake.invoke("hello")).content).toBe("first");
    expect((await fake.invoke("hello")).content).toBe("first");
    expect((await fake.invoke("other")).content).toBe("second");
    await tiered.close();
  });

  it("returns fresh objects on every hit (LangChain changes what it gets)", async () => {
    const cache = new LLMKitCache({ cache: new SmartCache<StoredGenerations>({ maxEntries: 10 }) });
    await cache.update("p", "llm", [richGeneration()]);
    const a = (await cache.lookup("p", "llm"))![0] as ChatGeneration;
    (a.message as AIMessage).tool_calls![0]!.args.city = "changed";
    const b = (await cache.lookup("p", "llm"))![0] as ChatGeneration;
    expect((b.message as AIMessage).tool_calls![0]!.args.city).toBe("Paris");
  });
});

describe("what is stored", () => {
  it("round-trips a chat generation's message, tool calls and metadata", async () => {
    const cache = new LLMKitCache({ cache: new SmartCache<StoredGenerations>({ maxEntries: 10 }) });
    const original = richGeneration();
    await cache.update("p", "llm", [original]);
    const [hit] = (await cache.lookup("p", "llm")) as ChatGeneration[];
    const message = hit!.message as AIMessage;
    expect(hit!.text).toBe("Let me check.");
    expect(hit!.generationInfo).toEqual({ logprobs: null, finish_reason: "tool_calls" });
    expect(message.content).toBe("Let me check.");
    expect(message.id).toBe("chatcmpl-1");
    expect(message.name).toBe("assistant-1");
    expect(message.tool_calls).toEqual((original.message as AIMessage).tool_calls);
    expect(message.invalid_tool_calls).toEqual((original.message as AIMessage).invalid_tool_calls);
    expect(message.response_metadata).toEqual({
      model_name: "gpt-4o-mini",
      finish_reason: "tool_calls",
    });
    expect(message.additional_kwargs).toEqual({ reasoning_content: "thinking" });
  });

  it("round-trips content blocks and plain text generations", async () => {
    const cache = new LLMKitCache({ cache: new SmartCache<StoredGenerations>({ maxEntries: 10 }) });
    const blocks = new AIMessage({
      content: [
        { type: "text", text: "a" },
        { type: "text", text: "b" },
      ],
    });
    const plain: Generation = { text: "just text" };
    await cache.update("p", "llm", [{ text: "ab", message: blocks } as ChatGeneration, plain]);
    const [chat, text] = (await cache.lookup("p", "llm"))!;
    expect((chat as ChatGeneration).message.content).toEqual([
      { type: "text", text: "a" },
      { type: "text", text: "b" },
    ]);
    expect(chat!.text).toBe("ab");
    expect(text).toEqual({ text: "just text" });
  });

  it("stores a generation more compactly than LangChain's own serialised form", async () => {
    const l1 = new SmartCache<StoredGenerations>({ maxEntries: 10 });
    const cache = new LLMKitCache({ cache: l1 });
    const generation = richGeneration();
    await cache.update("p", "llm", [generation]);
    const stored = l1.get(cache.keyOf("p", "llm"));
    expect(stored?.g[0]?.t).toBeUndefined(); // the text is the message's: not stored twice
    expect(stored?.g[0]?.m).not.toHaveProperty("usage_metadata");
    const ours = JSON.stringify(stored).length;
    const theirs = JSON.stringify(serializeGeneration(generation)).length;
    expect(ours).toBeLessThan(theirs * 0.75);
  });

  it("does not store a non-AI message, a circular value or an entry over the size bound", async () => {
    const errors: string[] = [];
    const l1 = new SmartCache<StoredGenerations>({ maxEntries: 10 });
    const cache = new LLMKitCache({
      cache: l1,
      maxEntryBytes: 200,
      onError: (e) => void errors.push(String(e)),
    });
    await cache.update("human", "llm", [
      { text: "hi", message: new HumanMessage("hi") } as ChatGeneration,
    ]);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await cache.update("circular", "llm", [{ text: "x", generationInfo: circular }]);
    await cache.update("big", "llm", [{ text: "x".repeat(500) }]);
    expect(l1.size).toBe(0);
    expect(cache.stats().skipped).toBe(3);
    expect(errors[0]).toContain('only AI messages are cached, got "human"');
    expect(errors[1]).toContain("generations[0].generationInfo: not JSON");
    expect(errors[2]).toMatch(/more than the limit of 200/);
  });
});

describe("keys", () => {
  const cache = new LLMKitCache({
    cache: new SmartCache<StoredGenerations>({ maxEntries: 10 }),
    namespace: "app",
  });

  it("hashes the prompt and the LLM string under the namespace", () => {
    const key = cache.keyOf("my secret prompt", "apiKey:sk-live-123");
    expect(key).toMatch(/^app:[0-9a-f]{64}$/);
    expect(key).not.toContain("secret");
    expect(key).not.toContain("sk-live");
  });

  it("keeps prompts apart where LangChain's default join would merge them", () => {
    expect(cache.keyOf("a_b", "c")).not.toBe(cache.keyOf("a", "b_c"));
  });

  it("still hashes the output of a custom key encoder", () => {
    const custom = new LLMKitCache({
      cache: new SmartCache<StoredGenerations>({ maxEntries: 10 }),
    });
    custom.makeDefaultKeyEncoder((prompt) => `plain:${prompt}`);
    expect(custom.keyOf("p", "x")).toBe(custom.keyOf("p", "y"));
    expect(custom.keyOf("p", "x")).toMatch(/^[0-9a-f]{64}$/);
  });
});

/** An L2 entry as `TieredCache` writes it (unsigned), around any value. */
const envelope = (data: unknown) =>
  JSON.stringify({ v: 1, at: Date.now(), exp: null, tags: [], data });

describe("entries read back", () => {
  it("treats a damaged L1 entry as a miss, reports it once and deletes it", async () => {
    const l1 = new SmartCache<StoredGenerations>({ maxEntries: 10 });
    const corrupt: string[] = [];
    const cache = new LLMKitCache({ cache: l1, onCorrupt: (e) => void corrupt.push(e.reason) });
    l1.set(cache.keyOf("p", "llm"), {
      v: 1,
      g: [{ m: { c: 42 } }],
    } as unknown as StoredGenerations);
    expect(await cache.lookup("p", "llm")).toBeNull();
    expect(corrupt).toEqual(["entry.g[0].m.c: expected string or array, got number"]);
    expect(l1.size).toBe(0);
    expect(cache.stats()).toMatchObject({ corrupt: 1, misses: 1 });
  });

  it("never throws when the cache itself fails", async () => {
    const failing = new SmartCache<StoredGenerations>({ maxEntries: 10 });
    failing.get = () => {
      throw new Error("boom");
    };
    const errors: string[] = [];
    const cache = new LLMKitCache({ cache: failing, onError: (_e, op) => void errors.push(op) });
    expect(await cache.lookup("p", "llm")).toBeNull();
    expect(errors).toEqual(["lookup"]);
    expect(cache.stats().errors).toBe(1);
  });

  it("survives an onError listener that throws", async () => {
    const cache = new LLMKitCache({
      cache: new SmartCache<StoredGenerations>({ maxEntries: 10 }),
      maxEntryBytes: 1,
      onError: () => {
        throw new Error("listener");
      },
    });
    await expect(cache.update("p", "llm", [{ text: "too long" }])).resolves.toBeUndefined();
  });

  it.each([
    ["not JSON", () => "{not json"],
    ["an envelope around a bad value", () => envelope({ v: 1, g: [{ t: 5 }] })],
    ["an entry over the size bound", () => envelope({ v: 1, g: [{ t: "x".repeat(3_000) }] })],
  ])("treats %s in L2 as a miss and calls upstream", async (_name, poison) => {
    const store = new MemoryStore();
    const corrupt: string[] = [];
    const { cache, tiered } = createLangChainCache({
      l2: store,
      maxEntryBytes: 1_000,
      onCorrupt: (e) => void corrupt.push(e.reason),
    });
    const model = new LLMKitChatModel({ client: client(), cache });
    const llmString = model._getSerializedCacheKeyParametersForCall({} as never);
    const prompt = "Human: poisoned?";
    await store.set(cache.keyOf(prompt, llmString), poison());
    const answer = await model.invoke([new HumanMessage("poisoned?")]);
    expect(typeof answer.content).toBe("string");
    expect(mock.requests).toHaveLength(1);
    expect(corrupt).toHaveLength(1);
    expect(corrupt[0]).not.toContain("xxx");
    await tiered.close();
  });
});

describe("L2 stores", () => {
  it("answers a new process from SQLite (a fresh L1 over the same file)", async () => {
    const path = join(dir, "langchain.sqlite");
    const first = createLangChainCache({ l2: new SqliteStore({ path }) });
    await new LLMKitChatModel({ client: client(), cache: first.cache }).invoke("Persist me");
    await first.tiered.close();

    const second = createLangChainCache({ l2: new SqliteStore({ path }) });
    const hit = await new LLMKitChatModel({ client: client(), cache: second.cache }).invoke(
      "Persist me",
    );
    expect(typeof hit.content).toBe("string");
    expect(mock.requests).toHaveLength(1);
    expect(second.tiered.stats().l2.hits).toBe(1);
    await second.tiered.close();
  });

  it("shares answers between processes through Redis, signed, and leaves Redis empty", async () => {
    const namespace = `llm-langchain-test-${process.pid}-${Date.now()}`;
    const integrity = { secret: "a-shared-secret-of-enough-length" };
    const a = createLangChainCache({
      l2: new RedisStore({ url: "redis://127.0.0.1:6379", namespace }),
      integrity,
    });
    const b = createLangChainCache({
      l2: new RedisStore({ url: "redis://127.0.0.1:6379", namespace }),
      integrity,
    });
    try {
      await Promise.all([a, b].map((c) => (c.tiered.l2 as RedisStore).ready()));
      const first = await new LLMKitChatModel({ client: client(), cache: a.cache }).invoke(
        "Share me",
      );
      const second = await new LLMKitChatModel({ client: client(), cache: b.cache }).invoke(
        "Share me",
      );
      expect(second.content).toBe(first.content);
      expect(mock.requests).toHaveLength(1);
      expect(b.tiered.stats().l2.hits).toBe(1);
    } finally {
      await a.tiered.l2?.clear();
      for (const c of [a, b]) await c.tiered.close();
    }
  });
});
