import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type MockProvider, startMockProvider } from "../src/index.js";
import { json } from "./wire-json.js";

let mock: MockProvider;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
  client = new OpenAI({ apiKey: "sk-test-key", baseURL: mock.baseURL, maxRetries: 0 });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const user = (content: string) => [{ role: "user" as const, content }];
const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, days: { type: "integer" } },
      required: ["city", "days"],
    },
  },
};

async function streamText(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  let text = "";
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    text += chunk.choices[0]?.delta.content ?? "";
  }
  return { text, chunks };
}

describe("openai mock with the official openai SDK", () => {
  it("serves baseURL as origin plus /v1", () => {
    expect(mock.baseURL).toBe(`${mock.origin}/v1`);
    expect(mock.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("parses a scripted text completion with usage details", async () => {
    mock.enqueue({ text: "Hello there", usage: { input: 12, output: 3, cached: 4, reasoning: 2 } });
    const response = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("hi"),
    });
    expect(response.object).toBe("chat.completion");
    expect(response.choices[0]?.message.content).toBe("Hello there");
    expect(response.choices[0]?.finish_reason).toBe("stop");
    expect(response.model).toBe("gpt-4o-mini");
    expect(response.system_fingerprint).toMatch(/^fp_/);
    expect(response.usage).toMatchObject({
      prompt_tokens: 12,
      completion_tokens: 3,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
  });

  it("exposes the x-request-id and rate-limit headers", async () => {
    const { response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: user("hi") })
      .withResponse();
    expect(response.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("9999");
    expect(response.headers.get("content-type")).toBe("application/json");
  });

  it("streams text deltas that join to the same text as the JSON reply", async () => {
    const json = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("tell me"),
    });
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("tell me"),
      stream: true,
    });
    const { text, chunks } = await streamText(stream);
    expect(text).toBe(json.choices[0]?.message.content);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.length).toBeGreaterThan(3);
  });

  it("sends a usage chunk with empty choices when include_usage is set", async () => {
    mock.enqueue({ text: "one two three", usage: { input: 5, output: 3 } });
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("hi"),
      stream: true,
      stream_options: { include_usage: true },
    });
    const { chunks } = await streamText(stream);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("splits streamed text by chunkSize when configured", async () => {
    const small = await startMockProvider({ provider: "openai", chunkSize: 2 });
    try {
      const sdk = new OpenAI({ apiKey: "k", baseURL: small.baseURL, maxRetries: 0 });
      small.enqueue({ text: "abcdefg" });
      const stream = await sdk.chat.completions.create({
        model: "m",
        messages: user("x"),
        stream: true,
      });
      const { chunks } = await streamText(stream);
      const deltas = chunks.map((c) => c.choices[0]?.delta.content).filter((c) => c);
      expect(deltas).toEqual(["ab", "cd", "ef", "g"]);
    } finally {
      await small.close();
    }
  });

  it("returns a scripted tool call with JSON-string arguments", async () => {
    mock.enqueue({
      toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }],
    });
    const response = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("weather?"),
      tools: [weatherTool],
    });
    const message = response.choices[0]?.message;
    expect(message?.content).toBeNull();
    expect(response.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message?.tool_calls).toEqual([
      {
        id: "call_1",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      },
    ]);
  });

  it("streams tool call deltas the SDK's stream helper reassembles", async () => {
    mock.enqueue({
      toolCalls: [{ name: "get_weather", arguments: { city: "San Francisco", days: 3 } }],
    });
    const runner = client.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: user("weather?"),
      tools: [weatherTool],
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === "function" && call.function.name).toBe("get_weather");
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({
      city: "San Francisco",
      days: 3,
    });
    expect(call?.id).toMatch(/^call_/);
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("answers with a schema-satisfying tool call when the user names the tool", async () => {
    const response = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("Please call get_weather for me"),
      tools: [weatherTool],
    });
    const call = response.choices[0]?.message.tool_calls?.[0];
    const args = call?.type === "function" ? JSON.parse(call.function.arguments) : undefined;
    expect(typeof args.city).toBe("string");
    expect(Number.isInteger(args.days)).toBe(true);
  });

  it("answers with text after a tool result", async () => {
    const response = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        { role: "user", content: "call get_weather" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c1", type: "function", function: { name: "get_weather", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "sunny" },
      ],
      tools: [weatherTool],
    });
    expect(response.choices[0]?.message.tool_calls).toBeUndefined();
    expect(response.choices[0]?.message.content?.length).toBeGreaterThan(0);
  });

  it("returns valid JSON matching a json_schema response format", async () => {
    const response = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("give me a person"),
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "person",
          schema: {
            type: "object",
            properties: {
              name: { type: "string" },
              age: { type: "integer", minimum: 18, maximum: 99 },
            },
            required: ["name", "age"],
          },
        },
      },
    });
    const parsed = JSON.parse(response.choices[0]?.message.content ?? "");
    expect(typeof parsed.name).toBe("string");
    expect(parsed.age).toBeGreaterThanOrEqual(18);
    expect(parsed.age).toBeLessThanOrEqual(99);
  });

  it("returns a JSON object in json_object mode", async () => {
    const response = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("json please"),
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(response.choices[0]?.message.content ?? "")).toMatchObject({ ok: true });
  });

  it("reports reasoning tokens when reasoning_effort is set", async () => {
    const response = await client.chat.completions.create({
      model: "o4-mini",
      messages: user("think"),
      reasoning_effort: "low",
    });
    expect(response.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
  });

  it("lists models on GET /v1/models", async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain("gpt-4o-mini");
  });

  it("replays the recorded openai-text fixture as JSON and as a stream", async () => {
    mock.enqueue({ fixture: "openai/openai-text" }, { fixture: "openai/openai-text" });
    const json = await client.chat.completions.create({
      model: "gpt-4.1-nano",
      messages: user("x"),
    });
    expect(json.id).toBe("chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU");
    expect(json.choices[0]?.message.content).toMatch(/^\*\*Holiday Name:\*\* Galaxy Day/);
    const stream = await client.chat.completions.create({
      model: "gpt-4.1-nano",
      messages: user("x"),
      stream: true,
    });
    const { text, chunks } = await streamText(stream);
    expect(text).toMatch(/^\*\*Holiday Name:\*\*/);
    expect(chunks[0]?.id).toBe("chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0");
  });
});

describe("openai mock errors through the official SDK", () => {
  it("rejects a request without an API key with the real 401 body", async () => {
    const response = await fetch(`${mock.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: user("hi") }),
    });
    expect(response.status).toBe(401);
    const body = await json(response);
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: null, code: null });
    expect(body.error.message).toMatch(/You didn't provide an API key/);
  });

  it("maps a wrong key to AuthenticationError when apiKey is enforced", async () => {
    const strict = await startMockProvider({ provider: "openai", apiKey: "sk-right" });
    try {
      const wrong = new OpenAI({ apiKey: "sk-wrong", baseURL: strict.baseURL, maxRetries: 0 });
      const error = await wrong.chat.completions
        .create({ model: "gpt-4o-mini", messages: user("hi") })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe(
        "invalid_api_key",
      );
      expect((error as Error).message).not.toContain("sk-wrong");
      const right = new OpenAI({ apiKey: "sk-right", baseURL: strict.baseURL, maxRetries: 0 });
      const ok = await right.chat.completions.create({
        model: "gpt-4o-mini",
        messages: user("hi"),
      });
      expect(ok.choices[0]?.message.content).toBeTruthy();
    } finally {
      await strict.close();
    }
  });

  it("gives a 429 with retry-after the SDK turns into RateLimitError", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 7 });
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: user("hi") })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers.get("retry-after")).toBe("7");
    expect(rateLimit.code).toBe("rate_limit_exceeded");
    expect(rateLimit.requestID).toMatch(/^req_/);
  });

  it("sends retry-after-ms and a rounded retry-after for a millisecond hint", async () => {
    mock.enqueue({ status: 429, retryAfterMs: 1500 });
    const error = (await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: user("hi") })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.headers.get("retry-after-ms")).toBe("1500");
    expect(error.headers.get("retry-after")).toBe("2");
  });

  it("honours retry-after-ms when the SDK retries, then succeeds", async () => {
    mock.enqueue({ status: 429, retryAfterMs: 10 }, { text: "after retry" });
    const retrying = new OpenAI({ apiKey: "k", baseURL: mock.baseURL, maxRetries: 1 });
    const response = await retrying.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("hi"),
    });
    expect(response.choices[0]?.message.content).toBe("after retry");
    expect(mock.stats().byStatus).toEqual({ 200: 1, 429: 1 });
  });

  it("gives a 500 the SDK turns into InternalServerError", async () => {
    mock.enqueue({ status: 500 });
    const error = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: user("hi") })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.InternalServerError>).type).toBe("server_error");
  });

  it("returns a custom error body and headers verbatim", async () => {
    mock.enqueue({
      status: 400,
      body: {
        error: {
          message: "context too long",
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        },
      },
      headers: { "x-custom": "yes" },
    });
    const error = (await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: user("hi") })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.code).toBe("context_length_exceeded");
    expect(error.param).toBe("messages");
    expect(error.headers.get("x-custom")).toBe("yes");
  });

  it("surfaces an error event mid-stream as an APIError after some content", async () => {
    mock.enqueue({ fault: "error-mid-stream", afterChunks: 3 });
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("hi"),
      stream: true,
    });
    let received = 0;
    const error = await (async () => {
      for await (const _chunk of stream) received++;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/server had an error/);
    expect(received).toBe(3);
  });

  it("answers 400 with the real message when messages are missing", async () => {
    const error = (await client.chat.completions
      .create({
        model: "gpt-4o-mini",
      } as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toMatch(/Missing required parameter: 'messages'/);
  });

  it("answers an unknown route with 404 Invalid URL", async () => {
    const response = await fetch(`${mock.baseURL}/nope`, {
      headers: { authorization: "Bearer k" },
    });
    expect(response.status).toBe(404);
    expect((await json(response)).error.message).toBe("Invalid URL (GET /v1/nope)");
  });
});
