import { createOpenAI } from "@ai-sdk/openai";
import type { CachedAnswer } from "@llm/cache";
import { cacheMiddleware, SmartCache } from "@llm/cache";
import type { MockProvider } from "@llm/testkit";
import { startMockProvider } from "@llm/testkit";
import { afterAll, afterEach, beforeAll } from "vitest";

/** One OpenAI-speaking testkit server for a test file, reset after each test. */
export function openaiMock(): { readonly current: MockProvider } {
  const holder: { current: MockProvider } = { current: undefined as unknown as MockProvider };
  beforeAll(async () => {
    holder.current = await startMockProvider({ provider: "openai" });
  });
  afterEach(() => {
    // reset() keeps faults and latency: a test that set them must not leak them.
    holder.current.reset();
    holder.current.setFaults(undefined);
    holder.current.setLatency(undefined);
  });
  afterAll(() => holder.current.close());
  return holder;
}

/** `@ai-sdk/openai`'s Chat Completions model, pointed at a testkit server. */
export function aiSdkChatModel(mock: MockProvider, model = "gpt-4o-mini") {
  return createOpenAI({ apiKey: "sk-test", baseURL: mock.baseURL }).chat(model);
}

/** A fresh in-memory cache middleware. */
export function freshCache() {
  return cacheMiddleware({ cache: new SmartCache<CachedAnswer>({ maxEntries: 1000 }) });
}

export const ask = (text: string) => [{ role: "user" as const, content: text }];
