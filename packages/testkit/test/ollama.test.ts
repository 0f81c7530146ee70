import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type MockProvider, startMockProvider } from "../src/index.js";
import { json } from "./wire-json.js";

let mock: MockProvider;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "ollama" });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const messages = (content: string) => [{ role: "user", content }];

function chat(body: Record<string, unknown>) {
  return fetch(`${mock.baseURL}/api/chat`, { method: "POST", body: JSON.stringify(body) });
}

async function ndjson(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  expect(text.endsWith("\n")).toBe(true);
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
}

describe("ollama mock wire format", () => {
  it("uses the origin as baseURL", () => {
    expect(mock.baseURL).toBe(mock.origin);
  });

  it("streams NDJSON by default, ending with a done object carrying counts and durations", async () => {
    mock.enqueue({ text: "Hello there friend", usage: { input: 7, output: 3 } });
    const response = await chat({ model: "llama3.2", messages: messages("hi") });
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = await ndjson(response);
    expect(
      lines
        .slice(0, -1)
        .map((l) => (l.message as { content: string }).content)
        .join(""),
    ).toBe("Hello there friend");
    expect(lines.slice(0, -1).every((l) => l.done === false)).toBe(true);
    const last = lines.at(-1) as Record<string, unknown>;
    expect(last).toMatchObject({
      model: "llama3.2",
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: "stop",
      prompt_eval_count: 7,
      eval_count: 3,
    });
    expect(last.total_duration).toBeGreaterThan(0);
    expect(typeof last.created_at).toBe("string");
    expect(mock.requests[0]?.stream).toBe(true);
  });

  it("returns one JSON object when stream is false", async () => {
    mock.enqueue({ text: "Done." });
    const response = await chat({ model: "llama3.2", stream: false, messages: messages("hi") });
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = await json(response);
    expect(body.message).toEqual({ role: "assistant", content: "Done." });
    expect(body.done).toBe(true);
    expect(body.done_reason).toBe("stop");
    expect(mock.requests[0]?.stream).toBe(false);
  });

  it("gives the same text streamed and not streamed", async () => {
    const reply = await json(await chat({ model: "m", stream: false, messages: messages("same") }));
    const lines = await ndjson(await chat({ model: "m", messages: messages("same") }));
    const text = lines.map((l) => (l.message as { content: string }).content).join("");
    expect(text).toBe(reply.message.content);
  });

  it("returns tool call arguments as an object", async () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "get_time",
          parameters: {
            type: "object",
            properties: { zone: { type: "string" } },
            required: ["zone"],
          },
        },
      },
    ];
    const body = await json(
      await chat({ model: "m", stream: false, messages: messages("use get_time"), tools }),
    );
    const call = body.message.tool_calls[0];
    expect(call.function.name).toBe("get_time");
    expect(typeof call.function.arguments.zone).toBe("string");
  });

  it("streams tool calls in one chunk before the done object", async () => {
    mock.enqueue({ toolCalls: [{ name: "get_time", arguments: { zone: "UTC" } }] });
    const lines = await ndjson(await chat({ model: "m", messages: messages("x") }));
    expect(lines).toHaveLength(2);
    expect((lines[0]!.message as { tool_calls: unknown }).tool_calls).toEqual([
      { function: { name: "get_time", arguments: { zone: "UTC" } } },
    ]);
  });

  it("streams thinking before content when think is on", async () => {
    mock.enqueue({ reasoning: "hmm", text: "ok" });
    const lines = await ndjson(await chat({ model: "m", messages: messages("x"), think: true }));
    expect((lines[0]!.message as { thinking: string }).thinking).toBe("hmm");
    const body = await json(
      await chat({ model: "m", stream: false, messages: messages("x"), think: true }),
    );
    expect(typeof body.message.thinking).toBe("string");
  });

  it("returns JSON for format json and for a format schema", async () => {
    const plain = await json(
      await chat({ model: "m", stream: false, messages: messages("x"), format: "json" }),
    );
    expect(JSON.parse(plain.message.content)).toMatchObject({ ok: true });
    const schema = { type: "object", properties: { n: { type: "integer" } }, required: ["n"] };
    const typed = await json(
      await chat({ model: "m", stream: false, messages: messages("x"), format: schema }),
    );
    expect(Number.isInteger(JSON.parse(typed.message.content).n)).toBe(true);
  });

  it("lists local models on GET /api/tags", async () => {
    const body = await json(await fetch(`${mock.baseURL}/api/tags`));
    expect(body.models[0]).toMatchObject({ name: "llama3.2:latest", details: { format: "gguf" } });
  });
});

describe("ollama mock errors", () => {
  it("answers a missing model with 400 {error}", async () => {
    const response = await chat({ messages: messages("x") });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: "model is required" });
  });

  it("answers a scripted 404 with the real message", async () => {
    mock.enqueue({ status: 404 });
    const response = await chat({ model: "nope", messages: messages("x") });
    expect(response.status).toBe(404);
    expect((await json(response)).error).toMatch(/not found, try pulling it first/);
  });

  it("sends retry-after on a 429", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 3 });
    const response = await chat({ model: "m", messages: messages("x") });
    expect(response.headers.get("retry-after")).toBe("3");
    expect(await json(response)).toEqual({ error: "too many requests" });
  });

  it("sends an {error} line mid-stream", async () => {
    mock.enqueue({ fault: "error-mid-stream", afterChunks: 2 });
    const lines = await ndjson(await chat({ model: "m", messages: messages("x") }));
    expect(lines).toHaveLength(3);
    expect(lines[2]?.error).toMatch(/unexpected EOF/);
  });

  it("answers an unknown path with a plain-text 404", async () => {
    const response = await fetch(`${mock.baseURL}/api/unknown`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("404 page not found");
  });

  it("requires the bearer key when apiKey is set", async () => {
    const strict = await startMockProvider({ provider: "ollama", apiKey: "secret" });
    try {
      const denied = await fetch(`${strict.baseURL}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: messages("x") }),
      });
      expect(denied.status).toBe(401);
      expect(await json(denied)).toEqual({ error: "unauthorized" });
      const allowed = await fetch(`${strict.baseURL}/api/chat`, {
        method: "POST",
        headers: { authorization: "Bearer secret" },
        body: JSON.stringify({ model: "m", stream: false, messages: messages("x") }),
      });
      expect(allowed.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
