import {
  type CachedAnswer,
  cacheMiddleware,
  MemoryStore,
  SmartCache,
  TieredCache,
} from "@llm/cache";
import { generateText, streamText, wrapLanguageModel } from "ai";
import { describe, expect, it } from "vitest";
import { llmKitMiddleware } from "../src/index.js";
import { aiSdkChatModel, ask, openaiMock } from "./helpers.js";

const mock = openaiMock();

describe("llmKitMiddleware over @llm/cache's levels and checks", () => {
  it("serves another process's answer from the shared L2", async () => {
    const l2 = new MemoryStore();
    const processModel = () => {
      const cache = cacheMiddleware({
        cache: new TieredCache<CachedAnswer>({ l1: new SmartCache({ maxEntries: 100 }), l2 }),
      });
      const model = wrapLanguageModel({
        model: aiSdkChatModel(mock.current),
        middleware: llmKitMiddleware({ cache }),
      });
      return { cache, model };
    };
    const first = processModel();
    const written = await generateText({ model: first.model, messages: ask("shared") });
    await first.cache.flush(); // the L2 write runs in the background
    const second = processModel();
    const read = streamText({ model: second.model, messages: ask("shared") });
    expect(await read.text).toBe(written.text);
    expect((await read.providerMetadata)?.llmKit?.origin).toMatchObject({
      type: "cache",
      level: "l2",
    });
    expect(mock.current.requests).toHaveLength(1);
  });

  it("treats a damaged entry as a miss, with cacheMiddleware's own validation", async () => {
    const store = new SmartCache<CachedAnswer>({ maxEntries: 100 });
    const corrupt: string[] = [];
    const cache = cacheMiddleware({
      cache: store,
      onCorrupt: ({ reason }) => corrupt.push(reason),
    });
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({ cache }),
    });
    const first = await generateText({ model, messages: ask("damage me") });
    const key = first.providerMetadata?.llmKit?.cacheKey as string;
    store.set(key, { v: 1, kind: "response", storedAt: 0, response: { id: 42 } } as never);
    const second = await generateText({ model, messages: ask("damage me") });
    expect(second.providerMetadata?.llmKit?.origin).toEqual({ type: "upstream" });
    expect(corrupt).toEqual(["answer.response.id: expected string, got number"]);
    expect(cache.stats().corrupt).toBe(1);
    expect(mock.current.requests).toHaveLength(2);
  });
});
