import { type ChatRequest, ConfigError } from "@llm/core";
import { collectEvents } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import { createOpenAI, type OpenAIProviderSettings } from "./index.js";

const mock = useMockProvider({ provider: "openai" });

const client = (settings: OpenAIProviderSettings = {}) =>
  createOpenAI({
    baseURL: mock.baseURL,
    apiKey: "sk-test-client-key",
    model: "gpt-4o-mini",
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
  it("sends the model, the messages and the bearer key", async () => {
    mock.enqueue({ text: "Hello" });
    await client().generate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
    });
    const received = mock.requests[0];
    expect(received?.path).toBe("/v1/chat/completions");
    expect(received?.headers.authorization).toBe("Bearer sk-test-client-key");
    expect(received?.headers["content-type"]).toBe("application/json");
    expect(received?.body).toEqual({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
    });
  });

  it("maps every sampling parameter to its wire name", async () => {
    mock.enqueue({ text: "ok" });
    await client().generate({
      ...hi,
      model: "gpt-4.1",
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxTokens: 64,
      stop: ["END"],
      seed: 7,
      frequencyPenalty: 0.5,
      presencePenalty: -0.5,
      metadata: { trace: "never sent" },
    });
    expect(lastBody()).toEqual({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "Hi" }],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 64,
      stop: ["END"],
      seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
    });
  });

  it("reports the topK it cannot send as a warning, on generate and on the stream's finish", async () => {
    mock.enqueue({ text: "ok" }, { text: "ok" });
    const warning = {
      type: "unsupported-setting",
      setting: "topK",
      details: "Chat Completions has no top_k parameter",
    };
    const response = await client().generate({ ...hi, topK: 40 });
    expect(response.warnings).toEqual([warning]);
    const events = await collectEvents(client().stream({ ...hi, topK: 40 }));
    expect(events.at(-1)).toMatchObject({ type: "finish", warnings: [warning] });
    expect(lastBody()).not.toHaveProperty("top_k");
  });

  it("has no warnings when every setting was sent", async () => {
    mock.enqueue({ text: "ok" }, { text: "ok" });
    expect((await client().generate({ ...hi, temperature: 0 })).warnings).toBeUndefined();
    const events = await collectEvents(client().stream(hi));
    expect(events.at(-1)).not.toHaveProperty("warnings");
  });

  it("uses max_completion_tokens against api.openai.com and max_tokens when configured so", () => {
    const official = createOpenAI({ apiKey: "sk-official-key", model: "o4-mini" });
    expect(official.buildRequestBody({ ...hi, maxTokens: 10 }, false)).toMatchObject({
      max_completion_tokens: 10,
    });
    const forced = client({ compatibility: { maxTokensField: "max_completion_tokens" } });
    expect(forced.buildRequestBody({ ...hi, maxTokens: 10 }, false)).toMatchObject({
      max_completion_tokens: 10,
    });
  });

  it("fills unset fields from settings.defaults and lets the request win", async () => {
    mock.enqueue({ text: "ok" });
    await client({ defaults: { temperature: 0, maxTokens: 100, stop: ["\n\n"] } }).generate({
      ...hi,
      maxTokens: 5,
    });
    expect(lastBody()).toMatchObject({ temperature: 0, max_tokens: 5, stop: ["\n\n"] });
  });

  it("maps tools, a named tool choice and strict schemas", async () => {
    mock.enqueue({ toolCalls: [{ name: "weather", arguments: { city: "Paris" } }] });
    await client().generate({
      ...hi,
      tools: [{ ...weatherTool, strict: true }],
      toolChoice: { type: "tool", name: "weather" },
    });
    expect(lastBody()).toMatchObject({
      tools: [
        {
          type: "function",
          function: {
            name: "weather",
            description: "Current weather for a city",
            parameters: weatherTool.parameters,
            strict: true,
          },
        },
      ],
      tool_choice: { type: "function", function: { name: "weather" } },
    });
  });

  it("passes string tool choices through", () => {
    const c = client();
    expect(
      c.buildRequestBody({ ...hi, tools: [weatherTool], toolChoice: "required" }, false)
        .tool_choice,
    ).toBe("required");
    expect(c.buildRequestBody({ ...hi, toolChoice: "none" }, false).tool_choice).toBe("none");
  });

  it("maps JSON mode to json_object and a JSON schema to a json_schema, strict only when it can be", async () => {
    mock.enqueue({ text: '{"ok":true}' });
    await client().generate({ ...hi, responseFormat: { type: "json" } });
    expect(lastBody().response_format).toEqual({ type: "json_object" });

    const schema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
    const response = await client().generate({
      ...hi,
      responseFormat: { type: "json_schema", name: "person", schema, description: "A person" },
    });
    expect(lastBody().response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "person", schema, description: "A person", strict: false },
    });
    const closed = { ...schema, additionalProperties: false };
    const strict = client().buildRequestBody(
      { ...hi, responseFormat: { type: "json_schema", name: "person", schema: closed } },
      false,
    );
    expect(strict.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "person", schema: closed, strict: true },
    });
    expect(typeof (JSON.parse(response.text) as { name: unknown }).name).toBe("string");
    expect(
      client().buildRequestBody({ ...hi, responseFormat: { type: "text" } }, false).response_format,
    ).toEqual({
      type: "text",
    });
  });

  it("merges providerOptions.openai last, and providerOptions under a custom name", async () => {
    mock.enqueue({ text: "ok" }, { text: "ok" });
    await client().generate({
      ...hi,
      temperature: 1,
      providerOptions: { openai: { logprobs: true, temperature: 0.3 }, anthropic: { top_k: 5 } },
    });
    expect(lastBody()).toMatchObject({ logprobs: true, temperature: 0.3 });
    expect(lastBody().top_k).toBeUndefined();
    await client({ name: "vllm" }).generate({ ...hi, providerOptions: { vllm: { top_k: 20 } } });
    expect(lastBody().top_k).toBe(20);
  });

  it("asks streams for usage with stream_options, unless compatibility turns it off", async () => {
    mock.enqueue({ text: "a b" }, { text: "a b" });
    await collectEvents(client().stream(hi));
    expect(lastBody()).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const events = await collectEvents(
      client({ compatibility: { streamOptions: false } }).stream(hi),
    );
    expect(lastBody().stream).toBe(true);
    expect(lastBody().stream_options).toBeUndefined();
    // Without include_usage the server sends no usage: the stream still finishes, with zero usage.
    expect(events.at(-1)).toMatchObject({
      type: "finish",
      usage: { inputTokens: 0, outputTokens: 0 },
    });
  });

  it("sends a multi-turn conversation with tool calls and results", async () => {
    mock.enqueue({ text: "It is 21°C in Paris." });
    await client().generate({
      tools: [weatherTool],
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: [
            {
              type: "tool-call",
              toolCallId: "call_1",
              toolName: "weather",
              input: { city: "Paris" },
            },
          ],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "call_1", toolName: "weather", output: { c: 21 } },
          ],
        },
      ],
    });
    expect(lastBody().messages).toEqual([
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"c":21}' },
    ]);
  });

  it("adds per-call headers and organization / project headers", async () => {
    mock.enqueue({ text: "ok" });
    await client({
      organization: "org-1",
      project: "proj-1",
      headers: { "X-Team": "search" },
    }).generate(hi, {
      headers: { "x-trace-id": "t-1" },
    });
    const headers = mock.requests[0]?.headers ?? {};
    expect(headers["openai-organization"]).toBe("org-1");
    expect(headers["openai-project"]).toBe("proj-1");
    expect(headers["x-team"]).toBe("search");
    expect(headers["x-trace-id"]).toBe("t-1");
  });

  it("rejects a request without a model with a ConfigError naming the field", async () => {
    const noModel = createOpenAI({ baseURL: mock.baseURL, apiKey: "sk-test-client-key" });
    await expect(noModel.generate(hi)).rejects.toMatchObject({
      name: "ConfigError",
      issues: [{ path: "model", message: "required" }],
    });
    await expect(collectEvents(noModel.stream(hi))).rejects.toBeInstanceOf(ConfigError);
  });
});

describe("generate", () => {
  it("returns text, finish reason, usage, id and request id", async () => {
    mock.enqueue({ text: "Hello there", usage: { input: 12, output: 3, cached: 4, reasoning: 1 } });
    const response = await client().generate(hi);
    expect(response).toMatchObject({
      model: "gpt-4o-mini",
      provider: "openai",
      text: "Hello there",
      content: [{ type: "text", text: "Hello there" }],
      toolCalls: [],
      finishReason: "stop",
      rawFinishReason: "stop",
      usage: {
        inputTokens: 12,
        outputTokens: 3,
        totalTokens: 15,
        cachedInputTokens: 4,
        reasoningTokens: 1,
      },
      origin: { type: "upstream" },
    });
    expect(response.id).toMatch(/^chatcmpl-/);
    expect(response.requestId).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("reads reasoning_content (DeepSeek, vLLM), refusals and unparsable arguments from compatible servers", async () => {
    mock.enqueue({
      status: 200,
      body: {
        id: "chatcmpl-compat",
        model: "deepseek-reasoner",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: "42",
              reasoning_content: "Six times seven.",
              tool_calls: [
                {
                  id: "call_x",
                  type: "function",
                  function: { name: "calc", arguments: "{broken" },
                },
              ],
            },
            finish_reason: "stop",
          },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 2 },
      },
    });
    const response = await client().generate(hi);
    expect(response.reasoning).toBe("Six times seven.");
    expect(response.content[0]).toEqual({ type: "reasoning", text: "Six times seven." });
    expect(response.text).toBe("42");
    expect(response.toolCalls).toEqual([{ id: "call_x", name: "calc", input: "{broken" }]);
    expect(response.usage).toEqual({ inputTokens: 3, outputTokens: 2, totalTokens: 5 });

    mock.enqueue({
      status: 200,
      body: {
        choices: [
          {
            message: { role: "assistant", content: null, refusal: "I can't help with that." },
            finish_reason: "stop",
          },
        ],
      },
    });
    const refusal = await client().generate(hi);
    expect(refusal.finishReason).toBe("content-filter");
    expect(refusal.rawFinishReason).toBe("stop");
    expect(refusal.providerMetadata).toEqual({ refusal: "I can't help with that." });
    expect(refusal.id).toMatch(/^chatcmpl-/);
    expect(refusal.model).toBe("gpt-4o-mini");
  });

  it("rejects a body that is not a chat completion with a ParseError", async () => {
    mock.enqueue({ status: 200, body: { object: "list", data: [] } });
    await expect(client().generate(hi)).rejects.toMatchObject({
      name: "ParseError",
      where: "response body",
    });
    mock.enqueue({ status: 200, body: { choices: [] } });
    await expect(client().generate(hi)).rejects.toMatchObject({
      name: "ParseError",
      where: "response body .choices",
    });
  });
});

describe("stream", () => {
  it("yields start, text deltas, usage and finish in that order", async () => {
    mock.enqueue({ text: "Hello there friend", usage: { input: 5, output: 3 } });
    const events = await collectEvents(client().stream(hi));
    expect(events.map((e) => e.type)).toEqual([
      "start",
      "text-delta",
      "text-delta",
      "text-delta",
      "usage",
      "finish",
    ]);
    expect(events[0]).toMatchObject({
      type: "start",
      model: "gpt-4o-mini",
      provider: "openai",
      origin: { type: "upstream" },
    });
    expect((events[0] as { requestId?: string }).requestId).toMatch(/^req_/);
    expect(events.slice(1, 4)).toEqual([
      { type: "text-delta", delta: "Hello" },
      { type: "text-delta", delta: " there" },
      { type: "text-delta", delta: " friend" },
    ]);
    const usage = {
      inputTokens: 5,
      outputTokens: 3,
      totalTokens: 8,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    };
    expect(events[4]).toEqual({ type: "usage", usage });
    expect(events[5]).toEqual({
      type: "finish",
      finishReason: "stop",
      rawFinishReason: "stop",
      usage,
    });
  });

  it("emits argument deltas and then each assembled tool call with parsed input", async () => {
    mock.enqueue({
      toolCalls: [
        { id: "call_a", name: "weather", arguments: { city: "San Francisco" } },
        { id: "call_b", name: "weather", arguments: { city: "Oslo" } },
      ],
    });
    const events = await collectEvents(client().stream({ ...hi, tools: [weatherTool] }));
    const deltas = events.filter((e) => e.type === "tool-call-delta");
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas[0]).toMatchObject({ index: 0, toolCallId: "call_a", toolName: "weather" });
    const argsOf = (i: number) =>
      deltas
        .flatMap((d) => (d.type === "tool-call-delta" && d.index === i ? [d.argsDelta] : []))
        .join("");
    expect(argsOf(0)).toBe('{"city":"San Francisco"}');
    expect(argsOf(1)).toBe('{"city":"Oslo"}');
    expect(events.filter((e) => e.type === "tool-call")).toEqual([
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "call_a", name: "weather", input: { city: "San Francisco" } },
      },
      {
        type: "tool-call",
        index: 1,
        toolCall: { id: "call_b", name: "weather", input: { city: "Oslo" } },
      },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: "finish",
      finishReason: "tool-calls",
      rawFinishReason: "tool_calls",
    });
  });
});
