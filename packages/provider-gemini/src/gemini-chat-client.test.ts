import {
  type ChatRequest,
  ConfigError,
  collectStream,
  ParseError,
  type ToolDefinition,
} from "@llm/core";
import { collectEvents, type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGemini } from "./gemini-provider.js";

const KEY = "test-key-gemini-0001";

let mock: MockProvider;
let gemini: ReturnType<typeof createGemini>;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "gemini" });
  gemini = createGemini({ baseURL: mock.baseURL, apiKey: KEY, model: "gemini-2.5-flash" });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
});

const hello: ChatRequest = { messages: [{ role: "user", content: "Hello" }] };

function lastBody(): Record<string, unknown> {
  return mock.requests.at(-1)?.body as Record<string, unknown>;
}

describe("GeminiChatClient request mapping", () => {
  it("posts to models/{model}:generateContent with the key in x-goog-api-key, never in the URL", async () => {
    mock.enqueue({ text: "Hi" });
    await gemini.generate(hello);
    const request = mock.requests.at(-1);
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(request?.query).toEqual({});
    expect(request?.headers["x-goog-api-key"]).toBe(KEY);
    expect(request?.headers["content-type"]).toBe("application/json");
  });

  it("streams from :streamGenerateContent?alt=sse", async () => {
    mock.enqueue({ text: "Hi" });
    await collectEvents(gemini.stream(hello));
    const request = mock.requests.at(-1);
    expect(request?.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    expect(request?.query).toEqual({ alt: "sse" });
    expect(request?.stream).toBe(true);
  });

  it("keeps a query in the base URL on every call, before ?alt=sse when streaming", async () => {
    const proxied = createGemini({
      baseURL: `${mock.baseURL}?tenant=t1`,
      apiKey: KEY,
      model: "gemini-2.5-flash",
    });
    mock.enqueue({ text: "a" }, { text: "b" }, { text: "c" }, { text: "d" });
    for (let round = 0; round < 2; round++) {
      await proxied.generate(hello);
      expect(mock.requests.at(-1)?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
      expect(mock.requests.at(-1)?.query).toEqual({ tenant: "t1" });
      await collectEvents(proxied.stream(hello));
      expect(mock.requests.at(-1)?.path).toBe(
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
      );
      expect(mock.requests.at(-1)?.query).toEqual({ tenant: "t1", alt: "sse" });
    }
  });

  it("uses the request's model over the default, and keeps a path-style model as it is", async () => {
    mock.enqueue({ text: "a" }, { text: "b" });
    await gemini.generate({ ...hello, model: "gemini-2.5-pro" });
    expect(mock.requests.at(-1)?.path).toBe("/v1beta/models/gemini-2.5-pro:generateContent");
    await gemini.generate({ ...hello, model: "models/gemini-3-pro-preview" });
    expect(mock.requests.at(-1)?.path).toBe("/v1beta/models/gemini-3-pro-preview:generateContent");
  });

  it("sends system instruction, contents, generation config and JSON mode", async () => {
    mock.enqueue({ text: "{}" });
    await gemini.generate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
        { role: "user", content: "JSON please" },
      ],
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxTokens: 256,
      stop: ["END"],
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: 0.3,
      responseFormat: { type: "json" },
    });
    expect(lastBody()).toEqual({
      systemInstruction: { parts: [{ text: "Be brief." }] },
      contents: [
        { role: "user", parts: [{ text: "Hi" }] },
        { role: "model", parts: [{ text: "Hello" }] },
        { role: "user", parts: [{ text: "JSON please" }] },
      ],
      generationConfig: {
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        maxOutputTokens: 256,
        stopSequences: ["END"],
        seed: 7,
        frequencyPenalty: 0.1,
        presencePenalty: 0.3,
        responseMimeType: "application/json",
      },
    });
  });

  it("sends a JSON schema as responseSchema in Gemini's subset", async () => {
    mock.enqueue({ text: '{"city":"Paris"}' });
    const response = await gemini.generate({
      ...hello,
      responseFormat: {
        type: "json_schema",
        name: "place",
        schema: {
          $schema: "https://json-schema.org/draft/2020-12/schema",
          type: "object",
          properties: { city: { type: "string" }, zip: { type: ["string", "null"] } },
          required: ["city"],
          additionalProperties: false,
        },
      },
    });
    expect(response.text).toBe('{"city":"Paris"}');
    expect(lastBody().generationConfig).toEqual({
      responseMimeType: "application/json",
      responseSchema: {
        type: "object",
        properties: { city: { type: "string" }, zip: { type: "string", nullable: true } },
        required: ["city"],
      },
    });
  });

  it("sends no generationConfig when nothing sets one", async () => {
    mock.enqueue({ text: "ok" });
    await gemini.generate(hello);
    expect(lastBody()).toEqual({ contents: [{ role: "user", parts: [{ text: "Hello" }] }] });
  });

  it("sends tools as functionDeclarations and each tool choice as a toolConfig mode", async () => {
    const tools: ToolDefinition[] = [
      {
        name: "weather",
        description: "Weather for a city",
        parameters: {
          type: "object",
          properties: { city: { type: "string" } },
          required: ["city"],
          additionalProperties: false,
        },
      },
      { name: "now", parameters: { type: "object", properties: {} } },
    ];
    const choices = [
      [undefined, undefined],
      ["auto", { functionCallingConfig: { mode: "AUTO" } }],
      ["none", { functionCallingConfig: { mode: "NONE" } }],
      ["required", { functionCallingConfig: { mode: "ANY" } }],
      [
        { type: "tool", name: "weather" },
        { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["weather"] } },
      ],
    ] as const;
    for (const [toolChoice, toolConfig] of choices) {
      mock.enqueue({ text: "ok" });
      await gemini.generate({
        ...hello,
        tools,
        ...(toolChoice === undefined ? {} : { toolChoice }),
      });
      const body = lastBody();
      expect(body.tools).toEqual([
        {
          functionDeclarations: [
            {
              name: "weather",
              description: "Weather for a city",
              parameters: {
                type: "object",
                properties: { city: { type: "string" } },
                required: ["city"],
              },
            },
            { name: "now" },
          ],
        },
      ]);
      expect(body.toolConfig).toEqual(toolConfig);
    }
  });

  it("sends a tool round trip as functionCall and functionResponse parts", async () => {
    mock.enqueue({ text: "It is 21°C in Paris." });
    const response = await gemini.generate({
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: [
            { type: "tool-call", toolCallId: "c1", toolName: "weather", input: { city: "Paris" } },
          ],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "c1", toolName: "weather", output: { tempC: 21 } },
          ],
        },
      ],
    });
    expect(response.text).toBe("It is 21°C in Paris.");
    expect(lastBody().contents).toEqual([
      { role: "user", parts: [{ text: "Weather in Paris?" }] },
      {
        role: "model",
        parts: [
          {
            functionCall: { name: "weather", args: { city: "Paris" } },
            thoughtSignature: "skip_thought_signature_validator",
          },
        ],
      },
      { role: "user", parts: [{ functionResponse: { name: "weather", response: { tempC: 21 } } }] },
    ]);
  });

  it("sends inline and URL images as inlineData and fileData", async () => {
    mock.enqueue({ text: "A cat." });
    await gemini.generate({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is it?" },
            {
              type: "image",
              source: { type: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" },
            },
            { type: "image", source: { type: "url", url: "https://example.com/cat.webp" } },
          ],
        },
      ],
    });
    expect(lastBody().contents).toEqual([
      {
        role: "user",
        parts: [
          { text: "What is it?" },
          { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
          { fileData: { mimeType: "image/webp", fileUri: "https://example.com/cat.webp" } },
        ],
      },
    ]);
  });

  it("merges providerOptions.gemini: generation settings into generationConfig, the rest top-level", async () => {
    mock.enqueue({ text: "ok" });
    await gemini.generate({
      ...hello,
      temperature: 1,
      providerOptions: {
        gemini: {
          thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
          generationConfig: { candidateCount: 1 },
          safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
          cachedContent: "cachedContents/abc",
        },
        openai: { ignored: true },
      },
    });
    expect(lastBody()).toEqual({
      contents: [{ role: "user", parts: [{ text: "Hello" }] }],
      generationConfig: {
        temperature: 1,
        thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
        candidateCount: 1,
      },
      safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
      cachedContent: "cachedContents/abc",
    });
  });

  it("fills unset request fields from settings.defaults; the request wins", async () => {
    const client = createGemini({
      baseURL: mock.baseURL,
      apiKey: KEY,
      model: "gemini-2.5-flash",
      defaults: { temperature: 0.5, maxTokens: 100, topK: 3 },
    });
    mock.enqueue({ text: "ok" });
    await client.generate({ ...hello, temperature: 0 });
    expect(lastBody().generationConfig).toEqual({ temperature: 0, topK: 3, maxOutputTokens: 100 });
  });

  it("adds per-call headers to the static ones", async () => {
    mock.enqueue({ text: "ok" });
    await gemini.generate(hello, { headers: { "x-trace-id": "t-1" } });
    expect(mock.requests.at(-1)?.headers["x-trace-id"]).toBe("t-1");
    expect(mock.requests.at(-1)?.headers["x-goog-api-key"]).toBe(KEY);
  });

  it("throws a ConfigError before any request when no model is set", async () => {
    const client = createGemini({ baseURL: mock.baseURL, apiKey: KEY });
    await expect(client.generate(hello)).rejects.toBeInstanceOf(ConfigError);
    await expect(collectEvents(client.stream(hello))).rejects.toThrow(
      /request\.model or settings\.model/,
    );
    expect(mock.requests).toHaveLength(0);
  });
});

describe("GeminiChatClient responses", () => {
  it("returns text, usage and the response id from generate", async () => {
    mock.enqueue({ text: "Hello there", usage: { input: 5, output: 2 } });
    const response = await gemini.generate(hello);
    expect(response).toMatchObject({
      provider: "gemini",
      model: "gemini-2.5-flash",
      text: "Hello there",
      content: [{ type: "text", text: "Hello there" }],
      toolCalls: [],
      finishReason: "stop",
      rawFinishReason: "STOP",
      usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
      origin: { type: "upstream" },
    });
    expect(response.id).toMatch(/^[0-9A-Za-z]+$/);
  });

  it("reports cached and reasoning tokens and thought parts as reasoning", async () => {
    mock.enqueue({
      text: "42",
      reasoning: "Think hard.",
      usage: { input: 10, output: 1, cached: 8, reasoning: 4 },
    });
    const response = await gemini.generate(hello);
    expect(response.reasoning).toBe("Think hard.");
    expect(response.content).toEqual([
      { type: "reasoning", text: "Think hard." },
      { type: "text", text: "42" },
    ]);
    expect(response.usage).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      totalTokens: 15,
      cachedInputTokens: 8,
      reasoningTokens: 4,
    });
  });

  it("returns tool calls with finish reason tool-calls", async () => {
    mock.enqueue({ toolCalls: [{ name: "weather", arguments: { city: "Paris" } }] });
    const response = await gemini.generate({
      ...hello,
      tools: [{ name: "weather", parameters: { type: "object" } }],
    });
    expect(response.finishReason).toBe("tool-calls");
    expect(response.toolCalls).toEqual([
      { id: expect.stringMatching(/^call-/), name: "weather", input: { city: "Paris" } },
    ]);
    expect(response.content).toEqual([
      {
        type: "tool-call",
        toolCallId: response.toolCalls[0]?.id,
        toolName: "weather",
        input: { city: "Paris" },
      },
    ]);
  });

  it("maps MAX_TOKENS and SAFETY finish reasons", async () => {
    mock.enqueue({ text: "cut", finishReason: "MAX_TOKENS" }, { text: "", finishReason: "SAFETY" });
    expect((await gemini.generate(hello)).finishReason).toBe("length");
    const blocked = await gemini.generate(hello);
    expect(blocked).toMatchObject({ finishReason: "content-filter", rawFinishReason: "SAFETY" });
  });

  it("reports a blocked prompt (promptFeedback, no candidates) as content-filter", async () => {
    const body = {
      promptFeedback: { blockReason: "PROHIBITED_CONTENT" },
      usageMetadata: { promptTokenCount: 7 },
    };
    mock.enqueue({ status: 200, body });
    const response = await gemini.generate(hello);
    expect(response).toMatchObject({
      text: "",
      finishReason: "content-filter",
      rawFinishReason: "PROHIBITED_CONTENT",
      usage: { inputTokens: 7, outputTokens: 0, totalTokens: 7 },
    });
  });

  it("rejects a body that is not a Gemini response with a ParseError", async () => {
    mock.enqueue(
      { status: 200, body: ["not", "a", "response"] },
      { status: 200, body: { candidates: "x" } },
    );
    await expect(gemini.generate(hello)).rejects.toBeInstanceOf(ParseError);
    await expect(gemini.generate(hello)).rejects.toThrow(/malformed `candidates`/);
  });

  it("streams start, text deltas, usage and finish, in that order", async () => {
    mock.enqueue({ text: "one two three", usage: { input: 3, output: 3 } });
    const events = await collectEvents(gemini.stream(hello));
    expect(events[0]).toMatchObject({
      type: "start",
      provider: "gemini",
      model: "gemini-2.5-flash",
    });
    expect(
      events
        .filter((e) => e.type === "text-delta")
        .map((e) => e.type === "text-delta" && e.delta)
        .join(""),
    ).toBe("one two three");
    expect(events.filter((e) => e.type === "text-delta").length).toBeGreaterThan(1);
    expect(events.slice(-2)).toEqual([
      { type: "usage", usage: { inputTokens: 3, outputTokens: 3, totalTokens: 6 } },
      {
        type: "finish",
        finishReason: "stop",
        rawFinishReason: "STOP",
        usage: { inputTokens: 3, outputTokens: 3, totalTokens: 6 },
      },
    ]);
  });

  it("streams reasoning and tool calls that collect into the same response as generate", async () => {
    const reply = {
      reasoning: "Look it up.",
      toolCalls: [
        { name: "weather", arguments: { city: "Paris" } },
        { name: "time", arguments: { zone: "CET" } },
      ],
      usage: { input: 4, output: 6, reasoning: 2 },
    };
    mock.enqueue(reply, reply);
    const streamed = await collectStream(gemini.stream(hello));
    const generated = await gemini.generate(hello);
    const strip = (r: typeof generated) => ({
      ...r,
      id: "",
      toolCalls: r.toolCalls.map((c) => ({ ...c, id: "" })),
      content: r.content.map((p) => (p.type === "tool-call" ? { ...p, toolCallId: "" } : p)),
    });
    expect(strip(streamed)).toEqual(strip(generated));
    expect(streamed.finishReason).toBe("tool-calls");
    expect(streamed.reasoning).toBe("Look it up.");
    expect(streamed.toolCalls.map((c) => c.name)).toEqual(["weather", "time"]);
  });

  it("rejects a stream answered with plain JSON instead of SSE with a ParseError", async () => {
    mock.when((r) => r.stream, { status: 200, body: { candidates: [] } }, { times: 1 });
    await expect(collectEvents(gemini.stream(hello))).rejects.toThrow(/without sending a chunk/);
  });
});

describe("GeminiChatClient failures and abort", () => {
  it("turns a malformed stream chunk into a ParseError naming the event", async () => {
    mock.enqueue({ fault: "malformed-json", afterChunks: 1 });
    const error = await collectEvents(gemini.stream(hello)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).where).toBe("stream event 2");
  });
});
