import Anthropic from "@anthropic-ai/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listFixtures, type MockProvider, readFixture, startMockProvider } from "../src/index.js";
import { json } from "./wire-json.js";

let mock: MockProvider;
let client: Anthropic;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "anthropic" });
  client = new Anthropic({ apiKey: "sk-ant-test", baseURL: mock.baseURL, maxRetries: 0 });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const base = { model: "claude-mock-1", max_tokens: 256 };
const user = (content: string) => [{ role: "user" as const, content }];
const weatherTool = {
  name: "get_weather",
  input_schema: {
    type: "object" as const,
    properties: { city: { type: "string" }, unit: { enum: ["c", "f"] } },
    required: ["city", "unit"],
  },
};

describe("anthropic mock with the official @anthropic-ai/sdk", () => {
  it("uses the origin as baseURL", () => {
    expect(mock.baseURL).toBe(mock.origin);
  });

  it("parses a scripted text message with usage", async () => {
    mock.enqueue({ text: "Hi!", usage: { input: 10, output: 2, cached: 6 } });
    const message = await client.messages.create({ ...base, messages: user("hello") });
    expect(message.type).toBe("message");
    expect(message.content).toEqual([{ type: "text", text: "Hi!" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({
      input_tokens: 10,
      output_tokens: 2,
      cache_read_input_tokens: 6,
    });
    expect(message.id).toMatch(/^msg_01/);
  });

  it("sends a request-id header the SDK exposes", async () => {
    const { response, request_id } = await client.messages
      .create({ ...base, messages: user("hi") })
      .withResponse();
    expect(request_id).toMatch(/^req_011C/);
    expect(response.headers.get("request-id")).toBe(request_id);
  });

  it("streams text whose final message equals the JSON reply", async () => {
    const json = await client.messages.create({ ...base, messages: user("same question") });
    const final = await client.messages
      .stream({ ...base, messages: user("same question") })
      .finalMessage();
    expect(final.content).toEqual(json.content);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBe(json.usage.output_tokens);
  });

  it("streams the real event sequence with event: lines", async () => {
    mock.enqueue({ text: "a b" });
    const stream = await client.messages.create({ ...base, messages: user("x"), stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const raw = await fetch(`${mock.origin}/v1/messages`, {
      method: "POST",
      headers: {
        "x-api-key": "k",
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
      },
      body: JSON.stringify({ ...base, messages: user("x"), stream: true }),
    });
    const text = await raw.text();
    expect(raw.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(text.startsWith("event: message_start\ndata: {")).toBe(true);
    expect(text).toContain("event: ping\n");
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });

  it("returns a tool_use block when the tool choice forces it", async () => {
    const message = await client.messages.create({
      ...base,
      messages: user("what's up"),
      tools: [weatherTool],
      tool_choice: { type: "tool", name: "get_weather" },
    });
    const block = message.content[0];
    expect(message.stop_reason).toBe("tool_use");
    expect(block?.type).toBe("tool_use");
    if (block?.type !== "tool_use") throw new Error("expected tool_use");
    expect(block.name).toBe("get_weather");
    expect(block.id).toMatch(/^toolu_01/);
    expect(typeof (block.input as { city: unknown }).city).toBe("string");
    expect(["c", "f"]).toContain((block.input as { unit: unknown }).unit);
  });

  it("streams tool input as input_json_delta the SDK reassembles", async () => {
    mock.enqueue({
      text: "Checking.",
      toolCalls: [{ name: "get_weather", arguments: { city: "Oslo", unit: "c" } }],
    });
    const final = await client.messages
      .stream({ ...base, messages: user("weather"), tools: [weatherTool] })
      .finalMessage();
    expect(final.content[0]).toEqual({ type: "text", text: "Checking." });
    expect(final.content[1]).toMatchObject({
      type: "tool_use",
      name: "get_weather",
      input: { city: "Oslo", unit: "c" },
    });
    expect(final.stop_reason).toBe("tool_use");
  });

  it("streams thinking with a signature before the text", async () => {
    mock.enqueue({ reasoning: "Let me think.", text: "Done." });
    const final = await client.messages
      .stream({ ...base, messages: user("x"), thinking: { type: "enabled", budget_tokens: 1024 } })
      .finalMessage();
    expect(final.content[0]).toMatchObject({ type: "thinking", thinking: "Let me think." });
    expect(
      final.content[0]?.type === "thinking" && final.content[0].signature.length,
    ).toBeGreaterThan(10);
    expect(final.content[1]).toEqual({ type: "text", text: "Done." });
  });

  it("produces default thinking when thinking is enabled", async () => {
    const message = await client.messages.create({
      ...base,
      messages: user("x"),
      thinking: { type: "enabled", budget_tokens: 1024 },
    });
    expect(message.content.map((b) => b.type)).toEqual(["thinking", "text"]);
  });

  it("returns JSON text for an output_format json_schema request", async () => {
    const response = await fetch(`${mock.origin}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        ...base,
        messages: user("x"),
        output_format: {
          type: "json_schema",
          schema: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
        },
      }),
    });
    const body = await json(response);
    expect(typeof JSON.parse(body.content[0].text).n).toBe("number");
  });

  it("returns JSON text for an output_config.format request", async () => {
    const response = await fetch(`${mock.origin}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        ...base,
        messages: user("x"),
        output_config: {
          format: {
            type: "json_schema",
            schema: { type: "object", properties: { ok: { type: "boolean" } } },
          },
        },
      }),
    });
    const body = await json(response);
    expect(typeof JSON.parse(body.content[0].text).ok).toBe("boolean");
  });

  it("lists models", async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain("claude-sonnet-4-5-20250929");
  });

  it.each(listFixtures("anthropic"))("replays fixture %s through the SDK", async (name) => {
    const fixture = readFixture(name);
    if (fixture.json !== undefined) {
      mock.enqueue({ fixture: name });
      const message = await client.messages.create({ ...base, messages: user("x") });
      expect(message).toEqual(fixture.json);
    }
    if (fixture.chunks !== undefined) {
      mock.enqueue({ fixture: name });
      const stream = await client.messages.create({ ...base, messages: user("x"), stream: true });
      const events: unknown[] = [];
      for await (const event of stream) events.push(event);
      // The SDK swallows ping events; everything else arrives as recorded.
      const recorded = fixture.chunks
        .map((line) => JSON.parse(line))
        .filter((e) => e.type !== "ping");
      expect(events).toEqual(recorded);
    }
  });
});

describe("anthropic mock errors through the official SDK", () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${mock.origin}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ ...base, messages: user("x") }),
    });

  it("answers a missing x-api-key with 401 authentication_error", async () => {
    const response = await post({ "anthropic-version": "2023-06-01" });
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({
      type: "error",
      error: { type: "authentication_error", message: "x-api-key header is required" },
    });
  });

  it("answers a missing anthropic-version with 400 invalid_request_error", async () => {
    const response = await post({ "x-api-key": "k" });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toEqual({
      type: "invalid_request_error",
      message: "anthropic-version: header is required",
    });
  });

  it("answers a missing max_tokens with 400", async () => {
    const error = await client.messages
      .create({
        model: "m",
        messages: user("x"),
      } as unknown as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toMatch(/max_tokens: Field required/);
  });

  it("gives a scripted 401 the SDK turns into AuthenticationError", async () => {
    mock.enqueue({ status: 401 });
    const error = await client.messages
      .create({ ...base, messages: user("x") })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.AuthenticationError>).type).toBe(
      "authentication_error",
    );
  });

  it("gives a 429 with retry-after the SDK turns into RateLimitError", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 30 });
    const error = (await client.messages
      .create({ ...base, messages: user("x") })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.headers.get("retry-after")).toBe("30");
    expect(error.type).toBe("rate_limit_error");
    expect(error.requestID).toMatch(/^req_011C/);
    expect((error.error as { request_id: string }).request_id).toBe(error.requestID);
  });

  it("gives a 529 overloaded_error", async () => {
    mock.enqueue({ status: 529 });
    const error = (await client.messages
      .create({ ...base, messages: user("x") })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(529);
    expect(error.type).toBe("overloaded_error");
  });

  it("gives a 500 the SDK turns into InternalServerError", async () => {
    mock.enqueue({ status: 500 });
    const error = await client.messages
      .create({ ...base, messages: user("x") })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as InstanceType<typeof Anthropic.InternalServerError>).type).toBe("api_error");
  });

  it("surfaces an event: error mid-stream as an APIError", async () => {
    mock.enqueue({ fault: "error-mid-stream", afterChunks: 4 });
    const stream = await client.messages.create({ ...base, messages: user("x"), stream: true });
    const types: string[] = [];
    const error = await (async () => {
      for await (const event of stream) types.push(event.type);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe("overloaded_error");
    expect(types).toEqual(["message_start", "content_block_start", "content_block_delta"]);
  });

  it("answers an unknown route with 404 not_found_error", async () => {
    const response = await fetch(`${mock.origin}/v1/complete`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect((await json(response)).error.type).toBe("not_found_error");
  });
});
