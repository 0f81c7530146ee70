import { createOpenAI as createLLMKitOpenAI } from "@llm/provider-openai";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { llmKitLanguageModel, llmKitMiddleware } from "../src/index.js";
import { ask, freshCache, openaiMock } from "./helpers.js";

/**
 * AI SDK 7 (installed as the `ai-v7` and `@ai-sdk/openai-v7` aliases) needs
 * Node ≥ 22; on Node 20 these tests are skipped, and the CI's Node 22 / 24
 * runs exercise them. AI SDK 7 speaks LanguageModel spec v4 and accepts v3
 * models and middlewares, which is what this package provides.
 */
const nodeMajor = Number(process.versions.node.split(".")[0]);
const mock = openaiMock();

type AiV7 = typeof import("ai-v7");
type OpenAIV7 = typeof import("@ai-sdk/openai-v7");
let ai: AiV7;
let openaiV7: OpenAIV7;

describe.skipIf(nodeMajor < 22)("with AI SDK 7", () => {
  beforeAll(async () => {
    ai = await import("ai-v7");
    openaiV7 = await import("@ai-sdk/openai-v7");
  });

  const v4Model = () =>
    openaiV7.createOpenAI({ apiKey: "sk-test", baseURL: mock.current.baseURL }).chat("gpt-4o-mini");

  it("caches a v4 model's answers through wrapLanguageModel, generate and stream", async () => {
    const model = ai.wrapLanguageModel({
      model: v4Model(),
      middleware: llmKitMiddleware({ cache: freshCache() }),
    });
    const first = await ai.generateText({ model, messages: ask("v7 question") });
    const second = await ai.generateText({ model, messages: ask("v7 question") });
    const streamed = ai.streamText({ model, messages: ask("v7 question") });
    expect(second.text).toBe(first.text);
    expect(await streamed.text).toBe(first.text);
    expect(second.providerMetadata?.llmKit?.origin).toMatchObject({ type: "cache" });
    expect(mock.current.requests).toHaveLength(1);
  });

  it("keys a v4 prompt's image (file data in v4's form) and caches the answer", async () => {
    const model = ai.wrapLanguageModel({
      model: v4Model(),
      middleware: llmKitMiddleware({ cache: freshCache() }),
    });
    const look = (bytes: number[]) => [
      {
        role: "user" as const,
        content: [
          { type: "text" as const, text: "What is this?" },
          { type: "image" as const, image: new Uint8Array(bytes), mediaType: "image/png" },
        ],
      },
    ];
    await ai.generateText({ model, messages: look([1, 2, 3]) });
    const same = await ai.generateText({ model, messages: look([1, 2, 3]) });
    const other = await ai.generateText({ model, messages: look([4, 5, 6]) });
    expect(same.providerMetadata?.llmKit?.origin).toMatchObject({ type: "cache" });
    expect(other.providerMetadata?.llmKit?.origin).toEqual({ type: "upstream" });
    expect(mock.current.requests).toHaveLength(2);
  });

  it("retries a v4 model with llm-kit's retry", async () => {
    mock.current.enqueue({ status: 500 });
    const model = ai.wrapLanguageModel({
      model: v4Model(),
      middleware: llmKitMiddleware({ retry: { baseDelayMs: 1, maxDelayMs: 5 } }),
    });
    const result = await ai.generateText({ model, maxRetries: 0, messages: ask("retry v7") });
    expect(result.text.length).toBeGreaterThan(0);
    expect(mock.current.requests).toHaveLength(2);
  });

  it("runs an llm-kit client as a model: text, stream, tools and structured output", async () => {
    const model = llmKitLanguageModel(
      createLLMKitOpenAI({
        apiKey: "sk-test",
        baseURL: mock.current.baseURL,
        model: "gpt-4o-mini",
      }),
    );
    const text = await ai.generateText({ model, messages: ask("hello v7") });
    expect(text.text.length).toBeGreaterThan(0);
    expect(text.finishReason).toBe("stop");
    const streamed = ai.streamText({ model, messages: ask("stream v7") });
    expect((await streamed.text).length).toBeGreaterThan(0);
    const withTool = await ai.generateText({
      model,
      tools: { weather: ai.tool({ inputSchema: z.object({ city: z.string() }) }) },
      toolChoice: "required",
      messages: ask("weather"),
    });
    expect(withTool.toolCalls[0]).toMatchObject({ toolName: "weather" });
    const schema = z.object({ title: z.string() });
    const structured = await ai.generateText({
      model,
      output: ai.Output.object({ schema }),
      prompt: "A title",
    });
    expect(schema.safeParse(structured.output).success).toBe(true);
  });
});
