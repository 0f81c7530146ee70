import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type MockProvider, startMockProvider } from "../src/index.js";
import { json } from "./wire-json.js";

const KEY = "mistral-wire-key";
let mock: MockProvider;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "mistral", apiKey: KEY });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const messages = (content: string) => [{ role: "user", content }];

function post(path: string, body: unknown, key: string | null = KEY) {
  return fetch(`${mock.baseURL}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body: JSON.stringify(body),
  });
}

function sse(text: string): string[] {
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n\n")
    .map((frame) => {
      expect(frame.startsWith("data: ")).toBe(true);
      return frame.slice(6);
    });
}

describe("mistral mock wire format", () => {
  it("serves /v1 and answers a chat completion in Mistral's shape with its rate-limit headers", async () => {
    expect(mock.baseURL).toBe(`${mock.origin}/v1`);
    mock.enqueue({ text: "Bonjour", usage: { input: 5, output: 2 } });
    const response = await post("/chat/completions", {
      model: "mistral-small-latest",
      messages: messages("hi"),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-ratelimit-remaining-req-minute")).toBe("719");
    expect(response.headers.get("x-ratelimit-limit-tokens-minute")).toBe("5000000");
    const body = await json(response);
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "mistral-small-latest",
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Bonjour", tool_calls: null },
          finish_reason: "stop",
        },
      ],
    });
    expect(body.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("streams chunks with usage on the finishing chunk, then [DONE]", async () => {
    mock.enqueue({ text: "Hello there friend", usage: { input: 4, output: 3, cached: 2 } });
    const response = await post("/chat/completions", {
      model: "mistral-small-latest",
      messages: messages("hi"),
      stream: true,
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const payloads = sse(await response.text());
    expect(payloads.at(-1)).toBe("[DONE]");
    const chunks = payloads.slice(0, -1).map((p) => JSON.parse(p));
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(chunks.map((c) => c.choices[0].delta.content).join("")).toBe("Hello there friend");
    expect(chunks.slice(0, -1).every((c) => c.usage === undefined)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({
      choices: [{ finish_reason: "stop" }],
      usage: {
        prompt_tokens: 4,
        completion_tokens: 3,
        total_tokens: 7,
        prompt_tokens_details: { cached_tokens: 2 },
      },
    });
  });

  it("sends tool calls whole in the finishing chunk, with nine-character ids", async () => {
    const response = await post("/chat/completions", {
      model: "mistral-small-latest",
      messages: messages("weather in Paris"),
      tools: [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }],
      tool_choice: "any",
      stream: true,
    });
    const chunks = sse(await response.text())
      .slice(0, -1)
      .map((p) => JSON.parse(p));
    const last = chunks.at(-1);
    expect(last.choices[0].finish_reason).toBe("tool_calls");
    expect(last.choices[0].delta.tool_calls[0]).toMatchObject({
      function: { name: "weather" },
      index: 0,
    });
    expect(last.choices[0].delta.tool_calls[0].id).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(typeof last.choices[0].delta.tool_calls[0].function.arguments).toBe("string");
  });

  it("answers with a thinking chunk before the text when reasoning is on", async () => {
    mock.enqueue({ reasoning: "Let me think.", text: "Done." }, { reasoning: "Hm.", text: "" });
    const body = await json(
      await post("/chat/completions", {
        model: "magistral-medium-latest",
        messages: messages("why?"),
        prompt_mode: "reasoning",
      }),
    );
    expect(body.choices[0].message.content).toEqual([
      { type: "thinking", thinking: [{ type: "text", text: "Let me think." }] },
      { type: "text", text: "Done." },
    ]);
    const onlyThinking = await json(
      await post("/chat/completions", {
        model: "magistral-medium-latest",
        messages: messages("why?"),
        reasoning_effort: "high",
      }),
    );
    expect(onlyThinking.choices[0].message.content).toEqual([
      { type: "thinking", thinking: [{ type: "text", text: "Hm." }] },
    ]);
  });

  it("reads chunked message content and a named tool choice", async () => {
    const response = await post("/chat/completions", {
      model: "mistral-small-latest",
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "look" },
            { type: "thinking", thinking: [{ type: "text", text: "x" }] },
            { type: "image_url", image_url: "https://example.com/a.png" },
            "ignored",
          ],
        },
      ],
      tools: [
        { type: "function", function: { name: "look", parameters: { type: "object" } } },
        { type: "function", function: { name: "other" } },
        "not a tool",
      ],
      tool_choice: { type: "function", function: { name: "other" } },
    });
    const body = await json(response);
    expect(body.choices[0].message.tool_calls[0].function.name).toBe("other");
    const none = await json(
      await post("/chat/completions", {
        model: "m",
        messages: [...messages("hi"), "junk"],
        tool_choice: "none",
        tools: [{ type: "function", function: { name: "look" } }],
        response_format: {
          type: "json_schema",
          json_schema: { name: "x", schema: { type: "object" } },
        },
      }),
    );
    expect(none.choices[0].message.tool_calls).toBeNull();
    expect(typeof JSON.parse(none.choices[0].message.content)).toBe("object");
  });

  it("rejects an unknown top-level field, as the real API does", async () => {
    const response = await post("/chat/completions", {
      model: "mistral-small-latest",
      messages: messages("hi"),
      stream_options: { include_usage: true },
    });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({
      object: "error",
      message: "body.stream_options: Extra inputs are not permitted",
      type: "invalid_request_error",
      param: null,
      code: null,
    });
  });

  it("refuses a tool call id that is not nine letters and digits, in a call or a result", async () => {
    const call = { id: "call_abc", type: "function", function: { name: "f", arguments: "{}" } };
    for (const message of [
      { role: "assistant", content: "", tool_calls: [call] },
      { role: "tool", name: "f", tool_call_id: "toolu_01", content: "ok" },
    ]) {
      const response = await post("/chat/completions", { model: "m", messages: [message] });
      expect(response.status).toBe(400);
      expect((await json(response)).message).toMatch(
        /^Tool call id was (call_abc|toolu_01) but must be a-z, A-Z, 0-9, with a length of 9\.$/,
      );
    }
    const ok = await post("/chat/completions", {
      model: "m",
      messages: [
        { role: "assistant", content: "", tool_calls: [{ ...call, id: "aB3dE5gH7" }, "junk"] },
        { role: "tool", name: "f", tool_call_id: "aB3dE5gH7", content: "ok" },
      ],
    });
    expect(ok.status).toBe(200);
  });

  it("names a missing model, missing messages and a body that is not an object", async () => {
    const noModel = await json(await post("/chat/completions", { messages: [] }));
    expect(noModel.message).toBe("body.model: Field required");
    const noMessages = await json(await post("/chat/completions", { model: "m" }));
    expect(noMessages.message).toBe("body.messages: Field required");
    const array = await json(await post("/chat/completions", [1]));
    expect(array.message).toBe("Invalid JSON body");
  });

  it("answers a missing or wrong key like the gateway: a bare message and the request id", async () => {
    for (const key of [null, "", "wrong"]) {
      const response = await post("/chat/completions", { model: "m", messages: [] }, key);
      expect(response.status).toBe(401);
      const body = await json(response);
      expect(body.message).toBe("Unauthorized");
      expect(body.request_id).toBe(response.headers.get("x-request-id"));
    }
  });

  it("renders its error bodies: 429 with retry hints, 422 validation details, others", async () => {
    mock.enqueue(
      { status: 429, retryAfterSeconds: 2 },
      { status: 422 },
      { status: 418 },
      { status: 502 },
    );
    const limited = await post("/chat/completions", { model: "m", messages: messages("a") });
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.headers.get("x-ratelimit-remaining-req-minute")).toBe("0");
    expect(await json(limited)).toMatchObject({ type: "rate_limited", code: "1300" });
    const invalid = await json(
      await post("/chat/completions", { model: "m", messages: messages("a") }),
    );
    expect(invalid).toMatchObject({
      object: "error",
      type: "invalid_request_message_error",
      message: { detail: [{ loc: ["body", "model"], msg: "Field required" }] },
    });
    const teapot = await json(
      await post("/chat/completions", { model: "m", messages: messages("a") }),
    );
    expect(teapot).toMatchObject({ message: "HTTP 418", type: "invalid_request_error" });
    const gateway = await json(
      await post("/chat/completions", { model: "m", messages: messages("a") }),
    );
    expect(gateway).toMatchObject({ message: "Bad gateway", type: "internal_server_error" });
  });

  it("sends an error object mid-stream and a cut frame for the faults", async () => {
    mock.enqueue(
      { text: "one two three", fault: "error-mid-stream", afterChunks: 1 },
      { text: "one two three", fault: "malformed-json", afterChunks: 1 },
    );
    const body = { model: "m", messages: messages("a"), stream: true };
    const failed = sse(await (await post("/chat/completions", body)).text());
    expect(JSON.parse(failed.at(-1) as string)).toMatchObject({
      object: "error",
      type: "internal_server_error",
    });
    const cut = await (await post("/chat/completions", body)).text();
    expect(cut).toContain('"content":"cut');
  });

  it("lists models and answers an unknown route with FastAPI's 404", async () => {
    const models = await json(
      await fetch(`${mock.baseURL}/models`, { headers: { authorization: `Bearer ${KEY}` } }),
    );
    expect(models.data.map((m: { id: string }) => m.id)).toContain("mistral-embed");
    const missing = await post("/nowhere", {});
    expect(missing.status).toBe(404);
    expect(await json(missing)).toEqual({ detail: "Not Found" });
  });
});

describe("mistral mock embeddings", () => {
  const embed = (body: unknown) => post("/embeddings", body);

  it("answers mistral-embed with 1024 floats per input and Mistral's usage", async () => {
    const body = await json(await embed({ model: "mistral-embed", input: ["a", "bb"] }));
    expect(body).toMatchObject({
      object: "list",
      model: "mistral-embed",
      usage: { prompt_tokens: 2, total_tokens: 2, completion_tokens: 0 },
    });
    expect(body.data.map((d: { index: number }) => d.index)).toEqual([0, 1]);
    expect(body.data[0].embedding).toHaveLength(1024);
    const single = await json(await embed({ model: "mistral-embed", input: "a" }));
    expect(single.data[0].embedding).toEqual(body.data[0].embedding);
  });

  it("sizes codestral-embed by output_dimension and quantizes by output_dtype", async () => {
    const base = { model: "codestral-embed", input: ["x"] };
    expect((await json(await embed(base))).data[0].embedding).toHaveLength(1536);
    const small = await json(await embed({ ...base, output_dimension: 16 }));
    expect(small.data[0].embedding).toHaveLength(16);
    const int8 = await json(await embed({ ...base, output_dimension: 16, output_dtype: "int8" }));
    expect(
      int8.data[0].embedding.every((v: number) => Number.isInteger(v) && v >= -128 && v <= 127),
    ).toBe(true);
    const uint8 = await json(await embed({ ...base, output_dimension: 16, output_dtype: "uint8" }));
    expect(uint8.data[0].embedding.every((v: number) => v >= 0 && v <= 255)).toBe(true);
    const binary = await json(
      await embed({ ...base, output_dimension: 16, output_dtype: "binary" }),
    );
    expect(binary.data[0].embedding).toHaveLength(2);
    expect(binary.data[0].embedding.every((v: number) => v >= -128 && v <= 127)).toBe(true);
    const base64 = await json(
      await embed({ ...base, output_dimension: 4, encoding_format: "base64" }),
    );
    expect(typeof base64.data[0].embedding).toBe("string");
  });

  it.each([
    ["no model", { input: ["a"] }, "body.model: Field required"],
    ["no inputs", { model: "mistral-embed", input: [] }, "body.input"],
    ["513 inputs", { model: "mistral-embed", input: Array(513).fill("a") }, "at most 512 inputs"],
    [
      "a size for mistral-embed",
      { model: "mistral-embed", input: ["a"], output_dimension: 256 },
      "body.output_dimension",
    ],
    [
      "a size over 3072",
      { model: "codestral-embed", input: ["a"], output_dimension: 4096 },
      "body.output_dimension",
    ],
    [
      "an unknown dtype",
      { model: "mistral-embed", input: ["a"], output_dtype: "fp16" },
      "body.output_dtype",
    ],
    [
      "an unknown encoding",
      { model: "mistral-embed", input: ["a"], encoding_format: "hex" },
      "body.encoding_format",
    ],
    ["a body that is not an object", [1], "Invalid JSON body"],
  ])("refuses %s with a 400 naming the field", async (_name, body, message) => {
    const response = await embed(body);
    expect(response.status).toBe(400);
    expect((await json(response)).message).toContain(message);
  });
});
