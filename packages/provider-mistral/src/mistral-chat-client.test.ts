import { type ChatRequest, ConfigError, collectStream } from "@llm/core";
import { collectEvents } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import { createMistral, type MistralProviderSettings } from "./index.js";

const mock = useMockProvider({ provider: "mistral" });

const client = (settings: MistralProviderSettings = {}) =>
  createMistral({
    baseURL: mock.baseURL,
    apiKey: "test-client-key-0123",
    model: "mistral-small-latest",
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
  it("posts the model and messages to /v1/chat/completions with the bearer key", async () => {
    mock.enqueue({ text: "Hello" });
    await client().generate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
    });
    const received = mock.requests[0];
    expect(received?.path).toBe("/v1/chat/completions");
    expect(received?.headers.authorization).toBe("Bearer test-client-key-0123");
    expect(received?.headers["content-type"]).toBe("application/json");
    expect(received?.body).toEqual({
      model: "mistral-small-latest",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
    });
  });

  it("maps every sampling parameter to Mistral's name: seed becomes random_seed", async () => {
    mock.enqueue({ text: "ok" });
    await client().generate({
      ...hi,
      model: "mistral-large-latest",
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 64,
      stop: ["END"],
      seed: 7,
      frequencyPenalty: 0.5,
      presencePenalty: -0.5,
      metadata: { trace: "never sent" },
    });
    expect(lastBody()).toEqual({
      model: "mistral-large-latest",
      messages: [{ role: "user", content: "Hi" }],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 64,
      stop: ["END"],
      random_seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
    });
  });

  it("streams with stream: true and no stream_options (Mistral rejects it)", async () => {
    mock.enqueue({ text: "ok" });
    await collectEvents(client().stream(hi));
    expect(lastBody()).toEqual({
      model: "mistral-small-latest",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
  });

  it("reports the topK it cannot send as a warning, on generate and on the stream's finish", async () => {
    mock.enqueue({ text: "ok" }, { text: "ok" });
    const warning = {
      type: "unsupported-setting",
      setting: "topK",
      details: "Mistral's chat completions have no top_k",
    };
    expect((await client().generate({ ...hi, topK: 40 })).warnings).toEqual([warning]);
    const events = await collectEvents(client().stream({ ...hi, topK: 40 }));
    expect(events.at(-1)).toMatchObject({ type: "finish", warnings: [warning] });
    expect(lastBody()).not.toHaveProperty("top_k");
  });

  it("sends safe_prompt from the settings, and lets providerOptions.mistral override it", async () => {
    mock.enqueue({ text: "ok" }, { text: "ok" });
    await client({ safePrompt: true }).generate(hi);
    expect(lastBody()).toMatchObject({ safe_prompt: true });
    await client({ safePrompt: true }).generate({
      ...hi,
      providerOptions: { mistral: { safe_prompt: false, prompt_mode: "reasoning" } },
    });
    expect(lastBody()).toMatchObject({ safe_prompt: false, prompt_mode: "reasoning" });
  });

  it("fills unset fields from settings.defaults and lets the request win", async () => {
    mock.enqueue({ text: "ok" });
    await client({ defaults: { temperature: 0, maxTokens: 100, seed: 3 } }).generate({
      ...hi,
      maxTokens: 5,
    });
    expect(lastBody()).toMatchObject({ temperature: 0, max_tokens: 5, random_seed: 3 });
  });

  it("refuses a topK default with a ConfigError naming it", () => {
    expect(() => client({ defaults: { topK: 4 } })).toThrow(ConfigError);
  });

  it("maps tools and each tool choice: required is sent as any", () => {
    const c = client();
    const body = (toolChoice: ChatRequest["toolChoice"]) =>
      c.buildRequestBody({ ...hi, tools: [{ ...weatherTool, strict: true }], toolChoice }, false);
    expect(body("auto").tools).toEqual([
      {
        type: "function",
        function: {
          name: "weather",
          description: "Current weather for a city",
          parameters: weatherTool.parameters,
          strict: true,
        },
      },
    ]);
    expect(body("auto").tool_choice).toBe("auto");
    expect(body("none").tool_choice).toBe("none");
    expect(body("required").tool_choice).toBe("any");
    expect(body({ type: "tool", name: "weather" }).tool_choice).toEqual({
      type: "function",
      function: { name: "weather" },
    });
  });

  it("answers a forced tool choice with a call of that tool", async () => {
    const response = await client().generate({
      ...hi,
      tools: [weatherTool],
      toolChoice: "required",
    });
    expect(lastBody().tool_choice).toBe("any");
    expect(response.finishReason).toBe("tool-calls");
    expect(response.toolCalls[0]?.name).toBe("weather");
    expect(response.toolCalls[0]?.id).toMatch(/^[A-Za-z0-9]{9}$/);
  });

  it("maps JSON mode to json_object and a JSON schema to json_schema, strict only when it can be", async () => {
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
      json_schema: { name: "person", schema, strict: false, description: "A person" },
    });
    expect(typeof (JSON.parse(response.text) as { name: unknown }).name).toBe("string");
    const closed = { ...schema, additionalProperties: false };
    expect(
      client().buildRequestBody(
        { ...hi, responseFormat: { type: "json_schema", name: "p", schema: closed, strict: true } },
        false,
      ).response_format,
    ).toEqual({ type: "json_schema", json_schema: { name: "p", schema: closed, strict: true } });
    expect(
      client().buildRequestBody({ ...hi, responseFormat: { type: "text" } }, false).response_format,
    ).toEqual({ type: "text" });
  });

  it("sends a multi-turn tool conversation as Mistral messages", async () => {
    mock.enqueue({ text: "Sunny." });
    await client().generate({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this and the weather?" },
            { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
            { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBORw0K" } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "reasoning", text: "not sent back" },
            {
              type: "tool-call",
              toolCallId: "aB3dE5gH7",
              toolName: "weather",
              input: { city: "Paris" },
            },
          ],
        },
        {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: "aB3dE5gH7",
              toolName: "weather",
              output: { temp: 24 },
            },
          ],
        },
        { role: "assistant", content: "It is 24." },
        { role: "assistant", content: [{ type: "text", text: "Anything else?" }] },
      ],
    });
    expect(lastBody().messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this and the weather?" },
          { type: "image_url", image_url: "https://example.com/a.png" },
          { type: "image_url", image_url: "data:image/png;base64,iVBORw0K" },
        ],
      },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          {
            id: "aB3dE5gH7",
            type: "function",
            function: { name: "weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", name: "weather", tool_call_id: "aB3dE5gH7", content: '{"temp":24}' },
      { role: "assistant", content: "It is 24." },
      { role: "assistant", content: "Anything else?" },
    ]);
  });

  it("sends a raw string tool result and raw arguments as they came", () => {
    const body = client().buildRequestBody(
      {
        messages: [
          {
            role: "assistant",
            content: [
              { type: "tool-call", toolCallId: "aB3dE5gH7", toolName: "t", input: "not json" },
            ],
          },
          {
            role: "tool",
            content: [
              { type: "tool-result", toolCallId: "aB3dE5gH7", toolName: "t", output: "plain" },
            ],
          },
        ],
      },
      false,
    );
    expect(body.messages).toEqual([
      {
        role: "assistant",
        content: "",
        tool_calls: [
          { id: "aB3dE5gH7", type: "function", function: { name: "t", arguments: "not json" } },
        ],
      },
      { role: "tool", name: "t", tool_call_id: "aB3dE5gH7", content: "plain" },
    ]);
  });

  it("rewrites another provider's tool call ids to ones Mistral accepts, keeping each pair matched", async () => {
    mock.enqueue({ text: "Sunny in both." });
    await client().generate({
      messages: [
        { role: "user", content: "Weather in Paris and Lyon?" },
        {
          role: "assistant",
          content: [
            {
              type: "tool-call",
              toolCallId: "call_Tc3abc",
              toolName: "weather",
              input: { city: "Paris" },
            },
            {
              type: "tool-call",
              toolCallId: "toolu_01XYZ",
              toolName: "weather",
              input: { city: "Lyon" },
            },
          ],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "toolu_01XYZ", toolName: "weather", output: "rain" },
            { type: "tool-result", toolCallId: "call_Tc3abc", toolName: "weather", output: "sun" },
          ],
        },
      ],
    });
    // The mock refuses ids that are not nine letters and digits, as the API does: this one got through.
    expect(mock.requests).toHaveLength(1);
    const sent = lastBody().messages as Array<{
      tool_calls?: { id: string }[];
      tool_call_id?: string;
    }>;
    const [paris, lyon] = (sent[1]?.tool_calls ?? []).map((call) => call.id);
    expect(paris).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(lyon).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(paris).not.toBe(lyon);
    expect([sent[2]?.tool_call_id, sent[3]?.tool_call_id]).toEqual([lyon, paris]);
  });

  it("names the model as missing with a ConfigError at path model", async () => {
    const c = createMistral({ baseURL: mock.baseURL, apiKey: "k-0123456789" });
    await expect(c.generate(hi)).rejects.toMatchObject({
      name: "ConfigError",
      issues: [{ path: "model" }],
    });
  });
});

describe("responses", () => {
  it("reads text, usage, ids, the request id and Mistral's rate-limit headers", async () => {
    mock.enqueue({ text: "Bonjour", usage: { input: 9, output: 2, cached: 4 } });
    const response = await client().generate(hi);
    expect(response).toMatchObject({
      provider: "mistral",
      model: "mistral-small-latest",
      text: "Bonjour",
      content: [{ type: "text", text: "Bonjour" }],
      finishReason: "stop",
      rawFinishReason: "stop",
      usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11, cachedInputTokens: 4 },
      rateLimit: {
        requests: { limit: 720, remaining: 719 },
        tokens: { limit: 5000000, remaining: 4999911 },
      },
      origin: { type: "upstream" },
    });
    expect(response.id).toMatch(/^[0-9a-f]{32}$/);
    expect(response.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("reads Magistral's thinking chunk as reasoning, before the text", async () => {
    mock.enqueue({ reasoning: "Think first.", text: "Answer." });
    const response = await client().generate({
      ...hi,
      providerOptions: { mistral: { prompt_mode: "reasoning" } },
    });
    expect(response.reasoning).toBe("Think first.");
    expect(response.content).toEqual([
      { type: "reasoning", text: "Think first." },
      { type: "text", text: "Answer." },
    ]);
  });

  it.each([
    ["stop", "stop"],
    ["length", "length"],
    ["model_length", "length"],
    ["tool_calls", "tool-calls"],
    ["error", "error"],
    ["something_new", "other"],
  ])("maps finish_reason %s to %s, keeping the raw value", async (raw, unified) => {
    mock.enqueue({ text: "x", finishReason: raw }, { text: "x", finishReason: raw });
    const response = await client().generate(hi);
    expect(response.finishReason).toBe(unified);
    expect(response.rawFinishReason).toBe(raw);
    const streamed = await collectStream(client().stream(hi));
    expect(streamed.finishReason).toBe(unified);
    expect(streamed.rawFinishReason).toBe(raw);
  });

  it("streams text, reasoning and whole tool calls that collect to the generated answer", async () => {
    const reply = {
      reasoning: "Need the tool.",
      text: "Checking both.",
      toolCalls: [
        { id: "aB3dE5gH7", name: "weather", arguments: { city: "Paris" } },
        { id: "Zy9Xw8Vu7", name: "weather", arguments: { city: "Lyon" } },
      ],
      usage: { input: 30, output: 12 },
    };
    mock.enqueue(reply, reply);
    const generated = await client().generate({ ...hi, tools: [weatherTool] });
    const events = await collectEvents(client().stream({ ...hi, tools: [weatherTool] }));
    expect(events[0]).toMatchObject({
      type: "start",
      provider: "mistral",
      rateLimit: { requests: { limit: 720 } },
    });
    expect(events.filter((e) => e.type === "tool-call")).toEqual([
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "aB3dE5gH7", name: "weather", input: { city: "Paris" } },
      },
      {
        type: "tool-call",
        index: 1,
        toolCall: { id: "Zy9Xw8Vu7", name: "weather", input: { city: "Lyon" } },
      },
    ]);
    const streamed = await collectStream(
      (async function* () {
        yield* events;
      })(),
    );
    expect(streamed.content).toEqual(generated.content);
    expect(streamed.usage).toEqual(generated.usage);
    expect(streamed.finishReason).toBe("tool-calls");
  });
});
