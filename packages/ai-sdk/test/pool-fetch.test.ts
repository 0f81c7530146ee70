import { createOpenAI } from "@ai-sdk/openai";
import { ConnectionPool } from "@llm/pool";
import { generateText, streamText, wrapLanguageModel } from "ai";
import { afterEach, describe, expect, it } from "vitest";
import { llmKitMiddleware } from "../src/index.js";
import { ask, freshCache, openaiMock } from "./helpers.js";

const mock = openaiMock();
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe("pool.fetch as the fetch of an AI SDK provider", () => {
  it("carries generateText and streamText, counted in the pool's stats", async () => {
    pool = new ConnectionPool({ connections: 4 });
    const openai = createOpenAI({
      apiKey: "sk-test",
      baseURL: mock.current.baseURL,
      fetch: pool.fetch,
    });
    const model = openai.chat("gpt-4o-mini");
    const generated = await generateText({ model, messages: ask("hello over the pool") });
    const streamed = streamText({ model, messages: ask("stream over the pool") });
    expect(generated.text.length).toBeGreaterThan(0);
    expect((await streamed.text).length).toBeGreaterThan(0);
    expect(pool.stats(mock.current.origin)).toMatchObject({
      requestsServed: 2,
      errors: 0,
    });
  });

  it("works under llmKitMiddleware: cache hits never reach the pool", async () => {
    pool = new ConnectionPool();
    const openai = createOpenAI({
      apiKey: "sk-test",
      baseURL: mock.current.baseURL,
      fetch: pool.fetch,
    });
    const model = wrapLanguageModel({
      model: openai.chat("gpt-4o-mini"),
      middleware: llmKitMiddleware({ cache: freshCache() }),
    });
    for (let i = 0; i < 3; i++) await generateText({ model, messages: ask("pooled and cached") });
    expect(pool.stats(mock.current.origin)?.requestsServed).toBe(1);
  });

  it("reports an upstream 429 through the AI SDK as an APICallError with its status", async () => {
    pool = new ConnectionPool();
    mock.current.enqueue({ status: 429, retryAfterSeconds: 1 });
    const openai = createOpenAI({
      apiKey: "sk-test",
      baseURL: mock.current.baseURL,
      fetch: pool.fetch,
    });
    const failure = await generateText({
      model: openai.chat("gpt-4o-mini"),
      maxRetries: 0,
      messages: ask("limited"),
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ statusCode: 429, responseHeaders: { "retry-after": "1" } });
  });
});
