import { type ChatRequest, ConfigError, collectStream } from "@llm/core";
import { collectEvents } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import { type AnthropicProviderSettings, createAnthropic, DEFAULT_MAX_TOKENS } from "./index.js";

const mock = useMockProvider({ provider: "anthropic" });

const client = (settings: AnthropicProviderSettings = {}) =>
  createAnthropic({
    baseURL: mock.baseURL,
    apiKey: "sk-ant-test-client-key",
    model: "claude-sonnet-4-5",
    ...settings,
  });
const lastBody = () => mock.requests.at(-1)?.body as Record<string, unknown>;
const hi: ChatRequest = { messages: [{ role: "user", content: "Hi" }] };

const weatherTool = {
  name: "weather",
  description: "Current weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

describe("request mapping (the body the server received)", () => {
  it("posts to /v1/messages with x-api-key, anthropic-version, the system prompt and a default max_tokens", async () => {
    mock.enqueue({ text: "Hello" });
    await client().generate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
    });
    const received = mock.requests[0];
    expect(received?.path).toBe("/v1/messages");
    expect(received?.headers["x-api-key"]).toBe("sk-ant-test-client-key");
    expect(received?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(received?.headers.authorization).toBeUndefined();
    expect(received?.body).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: DEFAULT_MAX_TOKENS,
      messages: [{ role: "user", content: "Hi" }],
      system: "Be brief.",
    });
    expect(DEFAULT_MAX_TOKENS).toBe(4096);
  });

  it("maps sampling parameters to their wire names and leaves out what the API lacks", async () => {
    mock.enqueue({ text: "ok" });
    await client().generate({
      ...hi,
      model: "claude-haiku-4-5",
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxTokens: 64,
      stop: ["END"],
      seed: 7,
      frequencyPenalty: 0.5,
      presencePenalty: 0.5,
    });
    expect(lastBody()).toEqual({
      model: "claude-haiku-4-5",
      max_tokens: 64,
      messages: [{ role: "user", content: "Hi" }],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ["END"],
    });
  });

  it("reports seed and the penalties it cannot send as warnings, on generate and stream", async () => {
    mock.enqueue({ text: "ok" }, { text: "ok" });
    const details = "the Messages API has no such parameter";
    const response = await client().generate({ ...hi, seed: 7, presencePenalty: 0.5 });
    expect(response.warnings).toEqual([
      { type: "unsupported-setting", setting: "seed", details },
      { type: "unsupported-setting", setting: "presencePenalty", details },
    ]);
    const events = await collectEvents(client().stream({ ...hi, frequencyPenalty: 0.5 }));
    expect(events.at(-1)).toMatchObject({
      type: "finish",
      warnings: [{ type: "unsupported-setting", setting: "frequencyPenalty", details }],
    });
    expect((await client().generate({ ...hi, topK: 3 })).warnings).toBeUndefined();
  });

  it("fills unset fields from settings.defaults and lets the request win", async () => {
    mock.enqueue({ text: "ok" });
    await client({ defaults: { maxTokens: 1000, topK: 5, temperature: 0 } }).generate({
      ...hi,
      temperature: 1,
    });
    expect(lastBody()).toMatchObject({ max_tokens: 1000, top_k: 5, temperature: 1 });
  });

  it("maps tools and every tool choice", async () => {
    mock.enqueue({ toolCalls: [{ name: "weather", arguments: { city: "Oslo" } }] });
    await client().generate({
      ...hi,
      tools: [weatherTool],
      toolChoice: { type: "tool", name: "weather" },
    });
    expect(lastBody()).toMatchObject({
      tools: [
        {
          name: "weather",
          description: "Current weather for a city",
          input_schema: weatherTool.parameters,
        },
      ],
      tool_choice: { type: "tool", name: "weather" },
    });
    const c = client();
    expect(c.buildRequestBody({ ...hi, toolChoice: "auto" }, false).tool_choice).toEqual({
      type: "auto",
    });
    expect(c.buildRequestBody({ ...hi, toolChoice: "none" }, false).tool_choice).toEqual({
      type: "none",
    });
    expect(c.buildRequestBody({ ...hi, toolChoice: "required" }, false).tool_choice).toEqual({
      type: "any",
    });
    expect(
      c.buildRequestBody({ ...hi, tools: [{ name: "t", parameters: { type: "object" } }] }, false)
        .tools,
    ).toEqual([{ name: "t", input_schema: { type: "object" } }]);
  });

  it("asks for JSON through a forced json tool and returns its input as text", async () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string" }, temp: { type: "number" } },
      required: ["city"],
    };
    const response = await client().generate({
      ...hi,
      responseFormat: { type: "json_schema", name: "weather", schema },
    });
    expect(lastBody()).toMatchObject({
      tools: [
        {
          name: "json",
          description: 'Respond with JSON matching the "weather" schema.',
          input_schema: schema,
        },
      ],
      tool_choice: { type: "tool", name: "json" },
    });
    expect(typeof (JSON.parse(response.text) as { city: unknown }).city).toBe("string");
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe("stop");

    const streamed = await collectStream(
      client().stream({ ...hi, responseFormat: { type: "json" } }),
    );
    expect(lastBody()).toMatchObject({
      tools: [
        {
          name: "json",
          description: "Respond with a JSON object.",
          input_schema: { type: "object" },
        },
      ],
      tool_choice: { type: "tool", name: "json" },
      stream: true,
    });
    expect(typeof JSON.parse(streamed.text)).toBe("object");
    expect(streamed.finishReason).toBe("stop");
    expect(
      client().buildRequestBody({ ...hi, responseFormat: { type: "text" } }, false).tools,
    ).toBeUndefined();
  });

  it("offers the json tool beside real tools and requires one of them", () => {
    const body = client().buildRequestBody(
      {
        ...hi,
        tools: [weatherTool],
        responseFormat: {
          type: "json_schema",
          name: "r",
          schema: { type: "object" },
          description: "Result",
        },
      },
      false,
    );
    expect(body.tools?.map((t) => t.name)).toEqual(["weather", "json"]);
    expect(body.tools?.[1]?.description).toBe("Result");
    expect(body.tool_choice).toEqual({ type: "any" });
  });

  it("merges providerOptions.anthropic last (extended thinking)", async () => {
    mock.enqueue({ text: "ok", reasoning: "Let me think." });
    const response = await client().generate({
      ...hi,
      providerOptions: {
        anthropic: { thinking: { type: "enabled", budget_tokens: 1024 } },
        openai: { seed: 1 },
      },
    });
    expect(lastBody()).toMatchObject({ thinking: { type: "enabled", budget_tokens: 1024 } });
    expect(lastBody().seed).toBeUndefined();
    expect(response.reasoning).toBe("Let me think.");
  });

  it("sends a multi-turn conversation with signed reasoning, tool use and tool results", async () => {
    mock.enqueue({ text: "It is -3°C in Oslo." });
    await client().generate({
      tools: [weatherTool],
      messages: [
        { role: "user", content: "Weather in Oslo?" },
        {
          role: "assistant",
          content: [
            { type: "reasoning", text: "I need the tool.", signature: "sig-abc" },
            { type: "text", text: "Checking." },
            {
              type: "tool-call",
              toolCallId: "toolu_1",
              toolName: "weather",
              input: { city: "Oslo" },
            },
          ],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "toolu_1", toolName: "weather", output: { c: -3 } },
          ],
        },
      ],
    });
    expect(lastBody().messages).toEqual([
      { role: "user", content: "Weather in Oslo?" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "I need the tool.", signature: "sig-abc" },
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Oslo" } },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_1", content: '{"c":-3}' }],
      },
    ]);
  });

  it("adds settings and per-call headers", async () => {
    mock.enqueue({ text: "ok" });
    await client({ headers: { "Anthropic-Beta": "prompt-caching-2024-07-31" } }).generate(hi, {
      headers: { "x-trace-id": "t-1" },
    });
    const headers = mock.requests[0]?.headers ?? {};
    expect(headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31");
    expect(headers["x-trace-id"]).toBe("t-1");
  });

  it("rejects a request without a model with a ConfigError naming the field", async () => {
    const noModel = createAnthropic({ baseURL: mock.baseURL, apiKey: "sk-ant-test-client-key" });
    await expect(noModel.generate(hi)).rejects.toMatchObject({
      name: "ConfigError",
      issues: [{ path: "model" }],
    });
    await expect(collectEvents(noModel.stream(hi))).rejects.toBeInstanceOf(ConfigError);
  });
});

describe("generate", () => {
  it("returns text, finish reason, usage with cache reads, id and request id", async () => {
    mock.enqueue({ text: "Hello there", usage: { input: 12, output: 3, cached: 100 } });
    const response = await client().generate(hi);
    expect(response).toMatchObject({
      model: "claude-sonnet-4-5",
      provider: "anthropic",
      text: "Hello there",
      content: [{ type: "text", text: "Hello there" }],
      toolCalls: [],
      finishReason: "stop",
      rawFinishReason: "end_turn",
      usage: { inputTokens: 112, outputTokens: 3, totalTokens: 115, cachedInputTokens: 100 },
      origin: { type: "upstream" },
    });
    expect(response.id).toMatch(/^msg_01/);
    expect(response.requestId).toMatch(/^req_011C/);
  });

  it("returns reasoning with its signature, text and tool calls in order", async () => {
    mock.enqueue({
      reasoning: "The user wants weather.",
      text: "Let me check.",
      toolCalls: [{ id: "toolu_a", name: "weather", arguments: { city: "Oslo" } }],
    });
    const response = await client().generate({ ...hi, tools: [weatherTool] });
    expect(response.content).toEqual([
      {
        type: "reasoning",
        text: "The user wants weather.",
        signature: expect.stringMatching(/^EqQBCkYIBxgCKkB.+mock$/),
      },
      { type: "text", text: "Let me check." },
      { type: "tool-call", toolCallId: "toolu_a", toolName: "weather", input: { city: "Oslo" } },
    ]);
    expect(response.reasoning).toBe("The user wants weather.");
    expect(response.toolCalls).toEqual([
      { id: "toolu_a", name: "weather", input: { city: "Oslo" } },
    ]);
    expect(response.finishReason).toBe("tool-calls");
  });

  it("keeps unsigned thinking, skips unknown blocks and fills a missing id and model", async () => {
    mock.enqueue({
      status: 200,
      body: {
        content: [
          { type: "thinking", thinking: "hmm" },
          { type: "redacted_thinking", data: "opaque" },
          { type: "tool_use", id: "toolu_b", name: "noargs" },
        ],
        stop_reason: "tool_use",
      },
    });
    const response = await client().generate(hi);
    expect(response.content).toEqual([
      { type: "reasoning", text: "hmm" },
      { type: "tool-call", toolCallId: "toolu_b", toolName: "noargs", input: {} },
    ]);
    expect(response.id).toMatch(/^msg-/);
    expect(response.model).toBe("claude-sonnet-4-5");
    expect(response.usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it("rejects a body that is not a message with a ParseError", async () => {
    mock.enqueue({ status: 200, body: { type: "message" } });
    await expect(client().generate(hi)).rejects.toMatchObject({
      name: "ParseError",
      where: "response body",
    });
  });
});

describe("stream", () => {
  it("yields start, reasoning with signature, text, tool call deltas, the tool call, usage and finish", async () => {
    mock.enqueue({
      reasoning: "Weather needs a tool.",
      text: "Checking now.",
      toolCalls: [{ id: "toolu_s", name: "weather", arguments: { city: "San Francisco" } }],
      usage: { input: 30, output: 20, cached: 10 },
    });
    const events = await collectEvents(client().stream({ ...hi, tools: [weatherTool] }));
    expect(events[0]).toMatchObject({
      type: "start",
      model: "claude-sonnet-4-5",
      provider: "anthropic",
      origin: { type: "upstream" },
    });
    expect((events[0] as { requestId?: string }).requestId).toMatch(/^req_011C/);
    const reasoning = events.filter((e) => e.type === "reasoning-delta");
    expect(reasoning.map((e) => (e as { delta: string }).delta).join("")).toBe(
      "Weather needs a tool.",
    );
    expect(reasoning.at(-1)).toMatchObject({
      delta: "",
      signature: expect.stringMatching(/mock$/),
    });
    expect(events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("")).toBe(
      "Checking now.",
    );
    const args = events.flatMap((e) => (e.type === "tool-call-delta" ? [e.argsDelta] : []));
    expect(args.length).toBeGreaterThan(1);
    expect(args.join("")).toBe('{"city":"San Francisco"}');
    expect(events.find((e) => e.type === "tool-call-delta")).toMatchObject({
      index: 0,
      toolCallId: "toolu_s",
      toolName: "weather",
    });
    expect(events.filter((e) => e.type === "tool-call")).toEqual([
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "toolu_s", name: "weather", input: { city: "San Francisco" } },
      },
    ]);
    const usage = { inputTokens: 40, outputTokens: 20, totalTokens: 60, cachedInputTokens: 10 };
    expect(events.slice(-2)).toEqual([
      { type: "usage", usage },
      { type: "finish", finishReason: "tool-calls", rawFinishReason: "tool_use", usage },
    ]);
    const collected = await collectStream(
      (async function* () {
        yield* events;
      })(),
    );
    expect(collected.content[0]).toMatchObject({
      type: "reasoning",
      text: "Weather needs a tool.",
    });
  });
});
