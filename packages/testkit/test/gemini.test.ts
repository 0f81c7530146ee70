import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listFixtures, type MockProvider, readFixture, startMockProvider } from "../src/index.js";
import { json } from "./wire-json.js";

let mock: MockProvider;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "gemini" });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const contents = (text: string) => [{ role: "user", parts: [{ text }] }];

function generate(body: unknown, options: { model?: string; key?: string | null } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.key !== null) headers["x-goog-api-key"] = options.key ?? "test-key";
  return fetch(`${mock.baseURL}/models/${options.model ?? "gemini-2.5-flash"}:generateContent`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
}

function streamSSE(body: unknown, query = "alt=sse") {
  return fetch(`${mock.baseURL}/models/gemini-2.5-flash:streamGenerateContent?${query}`, {
    method: "POST",
    headers: { "x-goog-api-key": "test-key" },
    body: JSON.stringify(body),
  });
}

/** Payloads of a Gemini SSE body, checking Google's CRLF framing on the way. */
function ssePayloads(text: string): unknown[] {
  expect(text.endsWith("\r\n\r\n")).toBe(true);
  return text
    .split("\r\n\r\n")
    .filter((frame) => frame !== "")
    .map((frame) => {
      expect(frame.startsWith("data: ")).toBe(true);
      return JSON.parse(frame.slice("data: ".length));
    });
}

describe("gemini mock wire format", () => {
  it("uses origin plus /v1beta as baseURL", () => {
    expect(mock.baseURL).toBe(`${mock.origin}/v1beta`);
  });

  it("returns candidates, usageMetadata, modelVersion and responseId", async () => {
    mock.enqueue({ text: "Hello", usage: { input: 9, output: 2, cached: 4, reasoning: 5 } });
    const response = await generate({ contents: contents("hi") });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const body = await json(response);
    expect(body.candidates).toEqual([
      { content: { parts: [{ text: "Hello" }], role: "model" }, finishReason: "STOP", index: 0 },
    ]);
    expect(body.usageMetadata).toEqual({
      promptTokenCount: 9,
      candidatesTokenCount: 2,
      totalTokenCount: 16,
      promptTokensDetails: [{ modality: "TEXT", tokenCount: 9 }],
      cachedContentTokenCount: 4,
      thoughtsTokenCount: 5,
    });
    expect(body.modelVersion).toBe("gemini-2.5-flash");
    expect(typeof body.responseId).toBe("string");
  });

  it("records the model from the path and the key from the query", async () => {
    await fetch(`${mock.baseURL}/models/gemini-2.5-pro:generateContent?key=query-key`, {
      method: "POST",
      body: JSON.stringify({ contents: contents("hi") }),
    });
    const [recorded] = mock.requests;
    expect(recorded?.model).toBe("gemini-2.5-pro");
    expect(recorded?.query.key).toBe("query-key");
    expect(recorded?.stream).toBe(false);
  });

  it("streams SSE frames with CRLF endings whose text joins to the JSON reply", async () => {
    const reply = await json(await generate({ contents: contents("same") }));
    const response = await streamSSE({ contents: contents("same") });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const payloads = ssePayloads(await response.text()) as {
      candidates: { content: { parts: { text: string }[] }; finishReason?: string }[];
      usageMetadata: { candidatesTokenCount?: number };
    }[];
    const text = payloads.map((p) => p.candidates[0]?.content.parts[0]?.text).join("");
    expect(text).toBe(reply.candidates[0].content.parts[0].text);
    expect(payloads.at(-1)?.candidates[0]?.finishReason).toBe("STOP");
    expect(payloads.at(-1)?.usageMetadata.candidatesTokenCount).toBe(
      reply.usageMetadata.candidatesTokenCount,
    );
    expect(payloads[0]?.candidates[0]?.finishReason).toBeUndefined();
    expect(mock.requests.at(-1)?.stream).toBe(true);
  });

  it("streams a JSON array without alt=sse", async () => {
    mock.enqueue({ text: "a b c" });
    const response = await streamSSE({ contents: contents("x") }, "");
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const items = JSON.parse(await response.text());
    expect(items).toHaveLength(3);
    expect(
      items
        .map(
          (i: { candidates: { content: { parts: { text: string }[] } }[] }) =>
            i.candidates[0]?.content.parts[0]?.text,
        )
        .join(""),
    ).toBe("a b c");
  });

  it("returns a functionCall part when the function calling mode is ANY", async () => {
    const response = await generate({
      contents: contents("do it"),
      tools: [
        {
          functionDeclarations: [
            {
              name: "weather",
              parameters: {
                type: "OBJECT",
                properties: { location: { type: "STRING" } },
                required: ["location"],
              },
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["weather"] } },
    });
    const body = await json(response);
    const part = body.candidates[0].content.parts[0];
    expect(part.functionCall.name).toBe("weather");
    expect(typeof part.functionCall.args.location).toBe("string");
    expect(body.candidates[0].finishReason).toBe("STOP");
  });

  it("streams a function call in one chunk", async () => {
    mock.enqueue({ toolCalls: [{ name: "weather", arguments: { location: "Rome" } }] });
    const payloads = ssePayloads(await (await streamSSE({ contents: contents("x") })).text()) as {
      candidates: { content: { parts: unknown[] } }[];
    }[];
    expect(payloads).toHaveLength(1);
    expect(payloads[0]?.candidates[0]?.content.parts).toEqual([
      { functionCall: { name: "weather", args: { location: "Rome" } } },
    ]);
  });

  it("sends thought parts with thought: true when thoughts are included", async () => {
    const body = await json(
      await generate({
        contents: contents("think"),
        generationConfig: { thinkingConfig: { includeThoughts: true } },
      }),
    );
    const parts = body.candidates[0].content.parts;
    expect(parts[0].thought).toBe(true);
    expect(parts[1].thought).toBeUndefined();
    expect(body.usageMetadata.thoughtsTokenCount).toBeGreaterThan(0);
  });

  it("returns JSON text for responseMimeType application/json", async () => {
    const body = await json(
      await generate({
        contents: contents("json"),
        generationConfig: {
          responseMimeType: "application/json",
          responseSchema: {
            type: "OBJECT",
            properties: { items: { type: "ARRAY", items: { type: "STRING" } } },
          },
        },
      }),
    );
    const parsed = JSON.parse(body.candidates[0].content.parts[0].text);
    expect(Array.isArray(parsed.items)).toBe(true);
  });

  it("passes through a provider-native finish reason", async () => {
    mock.enqueue({ text: "cut", finishReason: "MAX_TOKENS" });
    const body = await json(await generate({ contents: contents("x") }));
    expect(body.candidates[0].finishReason).toBe("MAX_TOKENS");
  });

  it("lists models", async () => {
    const response = await fetch(`${mock.baseURL}/models`, { headers: { "x-goog-api-key": "k" } });
    const body = await json(response);
    expect(body.models[0].name).toMatch(/^models\//);
  });

  it.each(listFixtures("gemini"))("replays fixture %s", async (name) => {
    const fixture = readFixture(name);
    if (fixture.json !== undefined) {
      mock.enqueue({ fixture: name });
      const response = await generate({ contents: contents("x") });
      const error = (fixture.json as { error?: { code: number } }).error;
      expect(response.status).toBe(error?.code ?? 200);
      expect(await json(response)).toEqual(fixture.json);
    }
    if (fixture.chunks !== undefined) {
      mock.enqueue({ fixture: name });
      const payloads = ssePayloads(await (await streamSSE({ contents: contents("x") })).text());
      expect(payloads).toEqual(fixture.chunks.map((line) => JSON.parse(line)));
      mock.enqueue({ fixture: name });
      const array = JSON.parse(await (await streamSSE({ contents: contents("x") }, "")).text());
      expect(array).toEqual(payloads);
    }
  });
});

describe("gemini mock errors", () => {
  it("answers a request without a key with 403 PERMISSION_DENIED", async () => {
    const response = await generate({ contents: contents("x") }, { key: null });
    expect(response.status).toBe(403);
    const body = await json(response);
    expect(body.error.status).toBe("PERMISSION_DENIED");
    expect(body.error.code).toBe(403);
  });

  it("answers a wrong key with 400 API_KEY_INVALID when apiKey is enforced", async () => {
    const strict = await startMockProvider({ provider: "gemini", apiKey: "right" });
    try {
      const response = await fetch(`${strict.baseURL}/models/g:generateContent?key=wrong`, {
        method: "POST",
        body: JSON.stringify({ contents: contents("x") }),
      });
      expect(response.status).toBe(400);
      const body = await json(response);
      expect(body.error.status).toBe("INVALID_ARGUMENT");
      expect(body.error.details[0].reason).toBe("API_KEY_INVALID");
    } finally {
      await strict.close();
    }
  });

  it("puts the retry delay in a RetryInfo detail on 429, not in a header", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 20 });
    const response = await generate({ contents: contents("x") });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBeNull();
    expect(await json(response)).toEqual({
      error: {
        code: 429,
        message: "You exceeded your current quota, please check your plan and billing details.",
        status: "RESOURCE_EXHAUSTED",
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "20s" }],
      },
    });
  });

  it("formats a millisecond retry hint as fractional seconds", async () => {
    mock.enqueue({ status: 429, retryAfterMs: 1500 });
    const body = await json(await generate({ contents: contents("x") }));
    expect(body.error.details[0].retryDelay).toBe("1.5s");
  });

  it("answers 503 UNAVAILABLE and 500 INTERNAL", async () => {
    mock.enqueue({ status: 503 }, { status: 500 });
    const unavailable = await json(await generate({ contents: contents("x") }));
    const internal = await json(await generate({ contents: contents("x") }));
    expect(unavailable.error.status).toBe("UNAVAILABLE");
    expect(internal.error.status).toBe("INTERNAL");
  });

  it("answers 400 when contents is missing", async () => {
    const response = await generate({});
    expect(response.status).toBe(400);
    expect((await json(response)).error.message).toMatch(/contents is not specified/);
  });

  it("sends an error payload mid-stream", async () => {
    mock.enqueue({ fault: "error-mid-stream", afterChunks: 1 });
    const payloads = ssePayloads(await (await streamSSE({ contents: contents("x") })).text()) as {
      error?: { status: string };
    }[];
    expect(payloads).toHaveLength(2);
    expect(payloads[1]?.error?.status).toBe("INTERNAL");
  });

  it("answers an unknown method with 404 NOT_FOUND", async () => {
    const response = await fetch(`${mock.baseURL}/models/g:countTokens`, {
      method: "POST",
      body: "{}",
    });
    expect(response.status).toBe(404);
    expect((await json(response)).error.status).toBe("NOT_FOUND");
  });
});
