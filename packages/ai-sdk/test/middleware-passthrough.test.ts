import { generateText, streamText, wrapLanguageModel } from "ai";
import { describe, expect, it } from "vitest";
import { llmKitMiddleware } from "../src/index.js";
import { aiSdkChatModel, ask, freshCache, openaiMock } from "./helpers.js";

const mock = openaiMock();

describe("llmKitMiddleware on calls it cannot cache", () => {
  it("sends a prompt with a non-image file upstream every time, still answering", async () => {
    const cache = freshCache();
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({ cache }),
    });
    const messages = [
      {
        role: "user" as const,
        content: [
          { type: "text" as const, text: "Summarise" },
          { type: "file" as const, data: "JVBERi0=", mediaType: "application/pdf" },
        ],
      },
    ];
    const first = await generateText({ model, messages });
    await generateText({ model, messages });
    expect(first.text.length).toBeGreaterThan(0);
    expect(mock.current.requests).toHaveLength(2);
    expect(cache.stats().lookups).toBe(0);
  });

  it("passes raw-chunk streams straight through", async () => {
    const cache = freshCache();
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({ cache }),
    });
    const result = streamText({ model, messages: ask("raw please"), includeRawChunks: true });
    const types = new Set<string>();
    for await (const part of result.fullStream) types.add(part.type);
    expect(types.has("raw")).toBe(true);
    expect(cache.stats().lookups).toBe(0);
  });

  it("sends per-call headers, and does not serve a call whose headers select another account", async () => {
    const cache = freshCache();
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({ cache }),
    });
    await generateText({ model, messages: ask("tenant") });
    const other = await generateText({
      model,
      messages: ask("tenant"),
      headers: { "OpenAI-Project": "proj_2", "x-unset": undefined },
    });
    expect(other.providerMetadata?.llmKit?.origin).toEqual({ type: "upstream" });
    expect(mock.current.requests.at(-1)!.headers["openai-project"]).toBe("proj_2");
    expect(cache.stats().bypassed).toBe(1);
  });

  it("keys on the scope it is given, so two endpoints never share an answer", async () => {
    const cache = freshCache();
    const scoped = (instance: string) =>
      wrapLanguageModel({
        model: aiSdkChatModel(mock.current),
        middleware: llmKitMiddleware({
          cache,
          cacheScope: { instance, credentialTag: () => "" },
        }),
      });
    await generateText({ model: scoped("eu"), messages: ask("where?") });
    await generateText({ model: scoped("us"), messages: ask("where?") });
    const again = await generateText({ model: scoped("eu"), messages: ask("where?") });
    expect(mock.current.requests).toHaveLength(2);
    expect(again.providerMetadata?.llmKit?.origin).toMatchObject({ type: "cache" });
  });
});
