import { type CachedAnswer, cacheMiddleware, SmartCache } from "@llm/cache";
import { ConfigError, compose, InvalidRequestError } from "@llm/core";
import { createLLMContainer } from "@llm/di";
import { createOpenAI, provider as openaiProvider } from "@llm/provider-openai";
import { generateObject, generateText, Output, stepCountIs, streamText, tool } from "ai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createLLMKitProvider, llmKitLanguageModel } from "../src/index.js";
import { ask, openaiMock } from "./helpers.js";

const mock = openaiMock();

const llmKitClient = () =>
  createOpenAI({ apiKey: "sk-test", baseURL: mock.current.baseURL, model: "gpt-4o-mini" });

describe("llmKitLanguageModel", () => {
  it("answers generateText with text, usage and finish reason mapped", async () => {
    mock.current.enqueue({ text: "Hello there", usage: { input: 12, output: 3, cached: 4 } });
    const result = await generateText({
      model: llmKitLanguageModel(llmKitClient()),
      messages: ask("hi"),
    });
    expect(result.text).toBe("Hello there");
    expect(result.finishReason).toBe("stop");
    expect(result.usage).toMatchObject({ inputTokens: 12, outputTokens: 3, totalTokens: 15 });
    expect(result.usage.inputTokenDetails).toMatchObject({ cacheReadTokens: 4, noCacheTokens: 8 });
    expect(result.response.modelId).toBe("gpt-4o-mini");
    expect(result.providerMetadata?.llmKit?.origin).toEqual({ type: "upstream" });
  });

  it("streams streamText deltas, usage and finish reason", async () => {
    mock.current.enqueue({ text: "one two three", usage: { input: 5, output: 3, reasoning: 1 } });
    const result = streamText({
      model: llmKitLanguageModel(llmKitClient()),
      messages: ask("count"),
    });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join("")).toBe("one two three");
    expect(await result.finishReason).toBe("stop");
    expect(await result.usage).toMatchObject({ inputTokens: 5, outputTokens: 3 });
    expect((await result.usage).outputTokenDetails).toMatchObject({ reasoningTokens: 1 });
  });

  it("runs a tool loop: the tool call goes out, its result comes back, then text", async () => {
    const model = llmKitLanguageModel(llmKitClient());
    const result = await generateText({
      model,
      tools: {
        weather: tool({
          description: "Weather in a city",
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, celsius: 21 }),
        }),
      },
      stopWhen: stepCountIs(3),
      messages: ask("Use weather for Paris"),
    });
    expect(result.steps[0]!.toolCalls[0]).toMatchObject({ toolName: "weather" });
    expect(result.steps[0]!.finishReason).toBe("tool-calls");
    expect(result.steps.at(-1)!.finishReason).toBe("stop");
    expect(result.text.length).toBeGreaterThan(0);
    const second = mock.current.requests[1]!.body as { messages: Array<{ role: string }> };
    expect(second.messages.map((message) => message.role)).toEqual(["user", "assistant", "tool"]);
  });

  it("streams tool calls", async () => {
    mock.current.enqueue({
      toolCalls: [{ id: "call_1", name: "weather", arguments: { city: "Oslo" } }],
    });
    const result = streamText({
      model: llmKitLanguageModel(llmKitClient()),
      tools: { weather: tool({ inputSchema: z.object({ city: z.string() }) }) },
      messages: ask("weather?"),
    });
    expect(await result.toolCalls).toMatchObject([
      { toolCallId: "call_1", toolName: "weather", input: { city: "Oslo" } },
    ]);
    expect(await result.finishReason).toBe("tool-calls");
  });

  it("gives structured output through generateObject and Output.object", async () => {
    const schema = z.object({ name: z.string(), age: z.number() });
    const model = llmKitLanguageModel(llmKitClient());
    const { object } = await generateObject({ model, schema, prompt: "A person" });
    expect(schema.safeParse(object).success).toBe(true);
    const sent = mock.current.requests[0]!.body as { response_format: { type: string } };
    expect(sent.response_format.type).toBe("json_schema");
    const { output } = await generateText({
      model,
      output: Output.object({ schema }),
      prompt: "Another",
    });
    expect(schema.safeParse(output).success).toBe(true);
  });

  it("says when an answer came from the client's cache", async () => {
    const cache = cacheMiddleware({ cache: new SmartCache<CachedAnswer>({ maxEntries: 100 }) });
    const model = llmKitLanguageModel(compose(llmKitClient(), cache));
    await generateText({ model, messages: ask("cache me") });
    const again = await generateText({ model, messages: ask("cache me") });
    expect(again.providerMetadata?.llmKit?.origin).toMatchObject({ type: "cache", level: "l1" });
    const streamed = streamText({ model, messages: ask("cache me") });
    expect(await streamed.text).toBe(again.text);
    expect((await streamed.providerMetadata)?.llmKit?.origin).toMatchObject({ type: "cache" });
    expect(mock.current.requests).toHaveLength(1);
  });

  it("refuses a prompt part llm-kit cannot send, naming where it was", async () => {
    const failure = await generateText({
      model: llmKitLanguageModel(llmKitClient()),
      maxRetries: 0,
      messages: [
        {
          role: "user",
          content: [
            { type: "file", data: new Uint8Array([37, 80, 68, 70]), mediaType: "application/pdf" },
          ],
        },
      ],
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidRequestError);
    expect((failure as Error).message).toContain("prompt[0].content[0]");
    expect(mock.current.requests).toHaveLength(0);
  });

  it("sends the client's own provider options and per-call headers, never the AI SDK-only extras", async () => {
    await generateText({
      model: llmKitLanguageModel(llmKitClient()),
      headers: { "x-trace": "t-1" },
      providerOptions: { openai: { user: "user-7" } },
      messages: [
        {
          role: "user",
          content: "hi",
          providerOptions: { anthropic: { cacheControl: { type: "ephemeral" } } },
        },
      ],
    });
    const sent = mock.current.requests[0]!;
    expect(sent.body).toMatchObject({ user: "user-7" });
    expect(JSON.stringify(sent.body)).not.toContain("ephemeral");
    expect(sent.headers["x-trace"]).toBe("t-1");
  });

  it("sends images by URL and inline", async () => {
    await generateText({
      model: llmKitLanguageModel(llmKitClient()),
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare" },
            { type: "image", image: new URL("https://example.com/a.png") },
            { type: "image", image: new Uint8Array([137, 80, 78, 71]), mediaType: "image/png" },
          ],
        },
      ],
    });
    const body = JSON.stringify(mock.current.requests[0]!.body);
    expect(body).toContain("https://example.com/a.png");
    expect(body).toContain("data:image/png;base64,iVBORw==");
  });
});

describe("createLLMKitProvider", () => {
  it("exposes a container's clients by name", async () => {
    const llm = await createLLMContainer({
      providers: [openaiProvider],
      config: {
        env: {},
        overrides: {
          clients: {
            summarizer: {
              provider: "openai",
              model: "gpt-4o-mini",
              apiKey: "sk-test",
              baseURL: mock.current.baseURL,
            },
          },
          cache: { enabled: true, l2: { type: "none" } },
        },
      },
    });
    try {
      const llmKit = createLLMKitProvider({ clients: llm.clients });
      const model = llmKit("summarizer");
      expect(model.modelId).toBe("gpt-4o-mini");
      expect(model.provider).toBe("llm-kit.openai");
      const first = await generateText({ model, messages: ask("Summarise this") });
      const second = await generateText({
        model: llmKit.languageModel("summarizer"),
        messages: ask("Summarise this"),
      });
      expect(second.text).toBe(first.text);
      expect(second.providerMetadata?.llmKit?.origin).toMatchObject({ type: "cache" });
      expect(() => llmKit("nope")).toThrow(ConfigError);
    } finally {
      await llm.dispose();
    }
  });

  it("takes a plain record of clients and names the known ones for an unknown name", () => {
    const llmKit = createLLMKitProvider({ clients: { fast: llmKitClient() } });
    expect(llmKit("fast").modelId).toBe("gpt-4o-mini");
    expect(() => llmKit("slow")).toThrow(/No llm-kit client named "slow" \(clients: fast\)/);
  });
});
