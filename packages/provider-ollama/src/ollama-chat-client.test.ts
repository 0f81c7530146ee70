import {
  type ChatRequest,
  ConfigError,
  collectStream,
  InvalidRequestError,
  ParseError,
  type ToolDefinition,
} from "@llm/core";
import { collectEvents, type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOllama } from "./ollama-provider.js";

let mock: MockProvider;
let ollama: ReturnType<typeof createOllama>;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "ollama" });
  ollama = createOllama({ baseURL: mock.baseURL, model: "llama3.2", env: {} });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
});

const hello: ChatRequest = { messages: [{ role: "user", content: "Hello" }] };

function lastBody(): Record<string, unknown> {
  return mock.requests.at(-1)?.body as Record<string, unknown>;
}

const weather: ToolDefinition = {
  name: "weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

describe("OllamaChatClient request mapping", () => {
  it("posts to /api/chat with stream: false for generate and no auth header", async () => {
    mock.enqueue({ text: "Hi" });
    await ollama.generate(hello);
    const request = mock.requests.at(-1);
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/api/chat");
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual({
      model: "llama3.2",
      messages: [{ role: "user", content: "Hello" }],
      stream: false,
    });
  });

  it("asks for an NDJSON stream with stream: true", async () => {
    mock.enqueue({ text: "Hi" });
    await collectEvents(ollama.stream(hello));
    expect(lastBody().stream).toBe(true);
    expect(mock.requests.at(-1)?.stream).toBe(true);
  });

  it("maps sampling fields into options and JSON mode into format", async () => {
    mock.enqueue({ text: "{}" });
    await ollama.generate({
      ...hello,
      model: "qwen3:8b",
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxTokens: 128,
      stop: ["END"],
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
      responseFormat: { type: "json" },
    });
    expect(lastBody()).toEqual({
      model: "qwen3:8b",
      messages: [{ role: "user", content: "Hello" }],
      stream: false,
      format: "json",
      options: {
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        num_predict: 128,
        stop: ["END"],
        seed: 7,
        frequency_penalty: 0.1,
        presence_penalty: 0.2,
      },
    });
  });

  it("sends a JSON schema as format", async () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    mock.enqueue({ text: '{"city":"Paris"}' });
    const response = await ollama.generate({
      ...hello,
      responseFormat: { type: "json_schema", name: "c", schema },
    });
    expect(lastBody().format).toEqual(schema);
    expect(response.text).toBe('{"city":"Paris"}');
  });

  it("sends tools in the function format, and none at all for toolChoice none", async () => {
    mock.enqueue({ text: "a" }, { text: "b" });
    await ollama.generate({
      ...hello,
      tools: [weather, { name: "now", parameters: { type: "object" } }],
    });
    expect(lastBody().tools).toEqual([
      { type: "function", function: weather },
      { type: "function", function: { name: "now", parameters: { type: "object" } } },
    ]);
    await ollama.generate({ ...hello, tools: [weather], toolChoice: "none" });
    expect(lastBody().tools).toBeUndefined();
  });

  it("warns that a forced toolChoice cannot be sent, on generate and on the stream's finish", async () => {
    mock.enqueue({ text: "a" }, { text: "b" }, { text: "c" });
    const warning = {
      type: "unsupported-setting",
      setting: "toolChoice",
      details: "Ollama cannot force a tool call; the model chooses",
    };
    const forced = await ollama.generate({ ...hello, tools: [weather], toolChoice: "required" });
    expect(forced.warnings).toEqual([warning]);
    const events = await collectEvents(
      ollama.stream({ ...hello, tools: [weather], toolChoice: { type: "tool", name: "weather" } }),
    );
    expect(events.at(-1)).toMatchObject({ type: "finish", warnings: [warning] });
    const auto = await ollama.generate({ ...hello, tools: [weather], toolChoice: "auto" });
    expect(auto.warnings).toBeUndefined();
  });

  it("sends a tool round trip with object arguments and the tool's name on the result", async () => {
    mock.enqueue({ text: "21°C" });
    await ollama.generate({
      messages: [
        { role: "user", content: "Weather?" },
        {
          role: "assistant",
          content: [
            { type: "tool-call", toolCallId: "c1", toolName: "weather", input: { city: "Paris" } },
          ],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "c1", toolName: "weather", output: { c: 21 } },
          ],
        },
      ],
    });
    expect(lastBody().messages).toEqual([
      { role: "user", content: "Weather?" },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ function: { name: "weather", arguments: { city: "Paris" } } }],
      },
      { role: "tool", tool_name: "weather", content: '{"c":21}' },
    ]);
  });

  it("sends images as a base64 array on the message", async () => {
    mock.enqueue({ text: "A cat." });
    await ollama.generate({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is it?" },
            {
              type: "image",
              source: { type: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" },
            },
          ],
        },
      ],
    });
    expect(lastBody().messages).toEqual([
      { role: "user", content: "What is it?", images: ["iVBORw0KGgo="] },
    ]);
  });

  it("refuses an image URL before sending anything", async () => {
    const request: ChatRequest = {
      messages: [
        {
          role: "user",
          content: [{ type: "image", source: { type: "url", url: "https://x/a.png" } }],
        },
      ],
    };
    await expect(ollama.generate(request)).rejects.toBeInstanceOf(InvalidRequestError);
    expect(mock.requests).toHaveLength(0);
  });

  it("puts providerOptions.ollama top-level (think, keep_alive) and merges its options", async () => {
    mock.enqueue({ text: "ok" });
    await ollama.generate({
      ...hello,
      temperature: 1,
      providerOptions: { ollama: { think: true, keep_alive: "10m", options: { num_ctx: 8192 } } },
    });
    expect(lastBody()).toMatchObject({
      think: true,
      keep_alive: "10m",
      options: { temperature: 1, num_ctx: 8192 },
    });
  });

  it("fills unset request fields from settings.defaults; the request wins", async () => {
    const client = createOllama({
      baseURL: mock.baseURL,
      model: "llama3.2",
      env: {},
      defaults: { temperature: 0.5, maxTokens: 64, topK: 5 },
    });
    mock.enqueue({ text: "ok" });
    await client.generate({ ...hello, temperature: 0 });
    expect(lastBody().options).toEqual({ temperature: 0, top_k: 5, num_predict: 64 });
  });

  it("throws a ConfigError before any request when no model is set", async () => {
    const client = createOllama({ baseURL: mock.baseURL, env: {} });
    await expect(client.generate(hello)).rejects.toBeInstanceOf(ConfigError);
    await expect(collectEvents(client.stream(hello))).rejects.toThrow(
      /request\.model or settings\.model/,
    );
    expect(mock.requests).toHaveLength(0);
  });
});

describe("OllamaChatClient responses", () => {
  it("returns text, usage from prompt_eval_count / eval_count and the done reason", async () => {
    mock.enqueue({ text: "Hello there", usage: { input: 26, output: 298 } });
    const response = await ollama.generate(hello);
    expect(response).toMatchObject({
      provider: "ollama",
      model: "llama3.2",
      text: "Hello there",
      content: [{ type: "text", text: "Hello there" }],
      toolCalls: [],
      finishReason: "stop",
      rawFinishReason: "stop",
      usage: { inputTokens: 26, outputTokens: 298, totalTokens: 324 },
      origin: { type: "upstream" },
    });
    expect(response.id).toMatch(/^ollama-/);
  });

  it("returns thinking as reasoning", async () => {
    mock.enqueue({ text: "4", reasoning: "2 + 2 = 4." });
    const response = await ollama.generate({
      ...hello,
      providerOptions: { ollama: { think: true } },
    });
    expect(response.reasoning).toBe("2 + 2 = 4.");
    expect(response.content).toEqual([
      { type: "reasoning", text: "2 + 2 = 4." },
      { type: "text", text: "4" },
    ]);
  });

  it("returns tool calls with object arguments and finish reason tool-calls", async () => {
    mock.enqueue({ toolCalls: [{ name: "weather", arguments: { city: "Paris" } }] });
    const response = await ollama.generate({ ...hello, tools: [weather] });
    expect(response.finishReason).toBe("tool-calls");
    expect(response.toolCalls).toEqual([
      { id: expect.stringMatching(/^call-/), name: "weather", input: { city: "Paris" } },
    ]);
  });

  it("maps done_reason length", async () => {
    mock.enqueue({ text: "cut", finishReason: "length" });
    expect(await ollama.generate(hello)).toMatchObject({
      finishReason: "length",
      rawFinishReason: "length",
    });
  });

  it("accepts string arguments from Ollama-compatible servers", async () => {
    const body = {
      model: "llama3.2",
      message: {
        role: "assistant",
        content: "",
        tool_calls: [
          { id: "t1", function: { name: "a", arguments: '{"x":1}' } },
          { function: { name: "b", arguments: "" } },
          { function: { name: "c", arguments: "not json" } },
        ],
      },
      done: true,
      done_reason: "stop",
    };
    mock.enqueue({ status: 200, body });
    const response = await ollama.generate(hello);
    expect(response.toolCalls.map(({ name, input }) => ({ name, input }))).toEqual([
      { name: "a", input: { x: 1 } },
      { name: "b", input: {} },
      { name: "c", input: "not json" },
    ]);
    expect(response.toolCalls[0]?.id).toBe("t1");
  });

  it("rejects a body that is not an Ollama response with a ParseError", async () => {
    mock.enqueue({ status: 200, body: [1, 2] }, { status: 200, body: { message: "nope" } });
    await expect(ollama.generate(hello)).rejects.toBeInstanceOf(ParseError);
    await expect(ollama.generate(hello)).rejects.toThrow(/malformed `message`/);
  });

  it("streams start, deltas, usage and finish, in that order", async () => {
    mock.enqueue({ text: "one two three", reasoning: "hmm", usage: { input: 3, output: 3 } });
    const events = await collectEvents(ollama.stream(hello));
    expect(events[0]).toMatchObject({ type: "start", provider: "ollama", model: "llama3.2" });
    const text = events
      .filter((e) => e.type === "text-delta")
      .map((e) => (e.type === "text-delta" ? e.delta : ""));
    expect(text.join("")).toBe("one two three");
    expect(text.length).toBeGreaterThan(1);
    expect(events.filter((e) => e.type === "reasoning-delta").length).toBeGreaterThan(0);
    expect(events.slice(-2)).toEqual([
      { type: "usage", usage: { inputTokens: 3, outputTokens: 3, totalTokens: 6 } },
      {
        type: "finish",
        finishReason: "stop",
        rawFinishReason: "stop",
        usage: { inputTokens: 3, outputTokens: 3, totalTokens: 6 },
      },
    ]);
  });

  it("streams tool calls whole and collects into the same response as generate", async () => {
    const reply = {
      text: "Let me check.",
      reasoning: "Need weather.",
      toolCalls: [
        { name: "weather", arguments: { city: "Paris" } },
        { name: "weather", arguments: { city: "Rome" } },
      ],
      usage: { input: 4, output: 6 },
    };
    mock.enqueue(reply, reply);
    const events = await collectEvents(ollama.stream({ ...hello, tools: [weather] }));
    expect(
      events
        .filter((e) => e.type === "tool-call-delta")
        .map((e) => e.type === "tool-call-delta" && e.argsDelta),
    ).toEqual(['{"city":"Paris"}', '{"city":"Rome"}']);
    const streamed = await collectStream(
      (async function* () {
        yield* events;
      })(),
    );
    const generated = await ollama.generate({ ...hello, tools: [weather] });
    const strip = (r: typeof generated) => ({
      ...r,
      id: "",
      toolCalls: r.toolCalls.map((c) => ({ ...c, id: "" })),
      content: r.content.map((p) => (p.type === "tool-call" ? { ...p, toolCallId: "" } : p)),
    });
    expect(strip(streamed)).toEqual(strip(generated));
    expect(streamed.finishReason).toBe("tool-calls");
  });

  it("rejects a stream line that is not a JSON object with a ParseError", async () => {
    mock.when((r) => r.stream, { status: 200, body: "" }, { times: 1 });
    await expect(collectEvents(ollama.stream(hello))).rejects.toBeInstanceOf(ParseError);
  });

  it("fails a stream that ends without a done line with a NetworkError", async () => {
    mock.when(
      (r) => r.stream,
      { status: 200, body: { model: "llama3.2", message: { content: "x" }, done: false } },
      { times: 1 },
    );
    await expect(collectEvents(ollama.stream(hello))).rejects.toThrow(/before it finished/);
  });
});

describe("OllamaChatClient failures and abort", () => {
  it("turns a malformed NDJSON line into a ParseError naming the line", async () => {
    mock.enqueue({ fault: "malformed-json", afterChunks: 1 });
    const error = await collectEvents(ollama.stream(hello)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).where).toMatch(/^line 2/);
  });
});
