import { generateText, jsonSchema, streamText, wrapLanguageModel } from "ai";
import { describe, expect, it } from "vitest";
import { llmKitMiddleware } from "../src/index.js";
import { aiSdkChatModel, ask, freshCache, openaiMock } from "./helpers.js";

const mock = openaiMock();

function cachedModel(cache = freshCache()) {
  return {
    cache,
    model: wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({ cache }),
    }),
  };
}

describe("llmKitMiddleware with a cache", () => {
  it("answers a repeated generateText from the cache, without a second upstream call", async () => {
    const { model } = cachedModel();
    const first = await generateText({ model, messages: ask("What is 2+2?") });
    const second = await generateText({ model, messages: ask("What is 2+2?") });
    expect(mock.current.requests).toHaveLength(1);
    expect(second.text).toBe(first.text);
    expect(second.usage.inputTokens).toBe(first.usage.inputTokens);
    expect(second.finishReason).toBe("stop");
    expect(first.providerMetadata?.llmKit?.origin).toEqual({ type: "upstream" });
    expect(second.providerMetadata?.llmKit?.origin).toMatchObject({ type: "cache", level: "l1" });
  });

  it("replays a cached streamText answer as a stream", async () => {
    const { model } = cachedModel();
    const first = streamText({ model, messages: ask("Count to five") });
    const firstText = await first.text;
    const second = streamText({ model, messages: ask("Count to five") });
    const deltas: string[] = [];
    for await (const delta of second.textStream) deltas.push(delta);
    expect(mock.current.requests).toHaveLength(1);
    expect(deltas.join("")).toBe(firstText);
    expect(await second.finishReason).toBe("stop");
    expect((await second.usage).outputTokens).toBe((await first.usage).outputTokens);
    expect((await second.providerMetadata)?.llmKit?.origin).toMatchObject({ type: "cache" });
  });

  it("replays an answer cached by generateText to a later streamText", async () => {
    const { model } = cachedModel();
    const generated = await generateText({ model, messages: ask("Name a colour") });
    const streamed = streamText({ model, messages: ask("Name a colour") });
    expect(await streamed.text).toBe(generated.text);
    expect(mock.current.requests).toHaveLength(1);
  });

  it("sends concurrent identical calls upstream once", async () => {
    mock.current.setLatency({ headersMs: 100 });
    const { model, cache } = cachedModel();
    const answers = await Promise.all(
      [1, 2, 3].map(() => generateText({ model, messages: ask("Same question") })),
    );
    expect(mock.current.requests).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(cache.stats()).toMatchObject({ upstreamCalls: 1, misses: 3 });
  });

  it("keys a call exactly as cacheMiddleware keys the same llm-kit request", async () => {
    const { model, cache } = cachedModel();
    const first = await generateText({
      model,
      system: "Be brief.",
      messages: ask("Why is the sky blue?"),
      temperature: 0,
      maxOutputTokens: 50,
    });
    const key = cache.keyOf(
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Why is the sky blue?" },
        ],
        temperature: 0,
        maxTokens: 50,
      },
      { provider: "openai.chat", model: "gpt-4o-mini" },
    );
    expect(first.providerMetadata?.llmKit?.cacheKey).toBe(key);
  });

  it("does not cache a call that asks for variety (temperature > 0), as cacheMiddleware does not", async () => {
    const { model } = cachedModel();
    await generateText({ model, messages: ask("A poem"), temperature: 0.9 });
    await generateText({ model, messages: ask("A poem"), temperature: 0.9 });
    expect(mock.current.requests).toHaveLength(2);
  });

  it("reads per-call cache modes from providerOptions.llmKit, and never sends them upstream", async () => {
    const { model } = cachedModel();
    await generateText({ model, messages: ask("Refresh me") });
    const refreshed = await generateText({
      model,
      messages: ask("Refresh me"),
      providerOptions: { llmKit: { cache: "refresh" } },
    });
    const bypassed = await generateText({
      model,
      messages: ask("Refresh me"),
      providerOptions: { llmKit: { cache: false } },
    });
    expect(mock.current.requests).toHaveLength(3);
    expect(refreshed.providerMetadata?.llmKit?.origin).toEqual({ type: "upstream" });
    expect(bypassed.providerMetadata?.llmKit?.origin).toEqual({ type: "upstream" });
    expect(JSON.stringify(mock.current.requests.at(-1)!.body)).not.toContain("llmKit");
  });

  it("caches and replays tool calls", async () => {
    const { model } = cachedModel();
    const tools = {
      weather: {
        description: "Weather in a city",
        inputSchema: jsonSchemaOf({ city: { type: "string" } }),
      },
    };
    const first = await generateText({
      model,
      tools,
      toolChoice: "required",
      messages: ask("Paris?"),
    });
    const second = await generateText({
      model,
      tools,
      toolChoice: "required",
      messages: ask("Paris?"),
    });
    expect(mock.current.requests).toHaveLength(1);
    expect(first.toolCalls).toHaveLength(1);
    expect(second.toolCalls.map(({ toolName, input }) => ({ toolName, input }))).toEqual(
      first.toolCalls.map(({ toolName, input }) => ({ toolName, input })),
    );
    expect(second.finishReason).toBe("tool-calls");
  });
});

function jsonSchemaOf(properties: Record<string, { type: string }>) {
  return jsonSchema<Record<string, unknown>>({
    type: "object",
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  });
}
