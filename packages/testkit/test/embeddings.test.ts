import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import {
  type MockProvider,
  type ProviderName,
  seededVector,
  startMockProvider,
} from "../src/index.js";
import { json } from "./wire-json.js";

const open: MockProvider[] = [];
async function start(
  provider: ProviderName,
  extra: Partial<Parameters<typeof startMockProvider>[0]> = {},
) {
  const mock = await startMockProvider({ provider, ...extra });
  open.push(mock);
  return mock;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((mock) => mock.close()));
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const openaiPost = (mock: MockProvider, body: unknown) =>
  post(`${mock.baseURL}/embeddings`, body, { authorization: "Bearer k" });
const geminiPost = (mock: MockProvider, model: string, method: string, body: unknown) =>
  post(`${mock.baseURL}/models/${model}:${method}`, body, { "x-goog-api-key": "k" });

describe("seededVector", () => {
  it("gives the same text the same unit vector and another text another one", () => {
    const a = seededVector("hello", 64, 1);
    expect(seededVector("hello", 64, 1)).toEqual(a);
    expect(seededVector("hello!", 64, 1)).not.toEqual(a);
    expect(seededVector("hello", 64, 2)).not.toEqual(a);
    const norm = Math.sqrt(a.reduce((sum, v) => sum + v * v, 0));
    expect(norm).toBeCloseTo(1, 5);
  });
});

describe("OpenAI /v1/embeddings", () => {
  it("answers float vectors seeded from each input, in order, with usage", async () => {
    const mock = await start("openai");
    const body = await json(
      await openaiPost(mock, {
        model: "text-embedding-3-small",
        input: ["alpha", "beta"],
        dimensions: 8,
      }),
    );
    expect(body.object).toBe("list");
    expect(body.model).toBe("text-embedding-3-small");
    expect(body.data.map((d: { index: number }) => d.index)).toEqual([0, 1]);
    expect(body.data[0].embedding).toEqual(Array.from(seededVector("alpha", 8, 1)));
    expect(body.data[1].embedding).toEqual(Array.from(seededVector("beta", 8, 1)));
    expect(body.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(mock.requests[0]?.model).toBe("text-embedding-3-small");
  });

  it("answers base64 float32 bytes when asked, and the model's native size by default", async () => {
    const mock = await start("openai");
    const body = await json(
      await openaiPost(mock, {
        model: "text-embedding-3-large",
        input: "x",
        encoding_format: "base64",
      }),
    );
    const bytes = Buffer.from(body.data[0].embedding, "base64");
    const vector = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect(vector.length).toBe(3072);
    expect(Array.from(vector)).toEqual(Array.from(seededVector("x", 3072, 1)));
  });

  it.each([
    [{ input: ["a"] }, "model"],
    [{ model: "m", input: [1, 2] }, "'$.input' is invalid"],
    [{ model: "m", input: [] }, "'$.input' is invalid"],
    [{ model: "m", input: Array.from({ length: 2049 }, () => "a") }, "at most 2048"],
    [{ model: "m", input: "a", encoding_format: "int8" }, "encoding_format"],
    [{ model: "m", input: "a", dimensions: 0 }, "dimensions"],
    [{ model: "text-embedding-3-small", input: "a", dimensions: 1537 }, "between 1 and 1536"],
    ["{not json", "could not parse"],
  ])("refuses %j with OpenAI's 400", async (body, message) => {
    const mock = await start("openai");
    const response = await openaiPost(mock, body);
    expect(response.status).toBe(400);
    expect((await json(response)).error.message).toContain(message);
  });

  it("answers a missing key with OpenAI's 401", async () => {
    const mock = await start("openai");
    const response = await post(`${mock.baseURL}/embeddings`, { model: "m", input: "a" });
    expect(response.status).toBe(401);
  });

  it("serves scripted errors, successes and faults as for chat", async () => {
    const mock = await start("openai");
    mock.enqueue(
      { status: 429, retryAfterMs: 2000 },
      { status: 200, body: { custom: true } },
      { fault: "malformed-json" },
      { text: "a completion reply gets the default vectors" },
    );
    const limited = await openaiPost(mock, { model: "m", input: "a" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after-ms")).toBe("2000");
    expect(await json(await openaiPost(mock, { model: "m", input: "a" }))).toEqual({
      custom: true,
    });
    const cut = await (await openaiPost(mock, { model: "m", input: "a" })).text();
    expect(() => JSON.parse(cut)).toThrow();
    const fine = await json(await openaiPost(mock, { model: "m", input: "a", dimensions: 4 }));
    expect(fine.data[0].embedding).toEqual(Array.from(seededVector("a", 4, 1)));
    expect(mock.stats().faults).toEqual({ "malformed-json": 1 });
  });

  it("resets the connection on a reset fault", async () => {
    const mock = await start("openai");
    mock.enqueue({ fault: "reset" });
    await expect(
      openaiPost(mock, { model: "m", input: "a" }).then((r) => r.text()),
    ).rejects.toThrow();
  });

  it("injects random faults at the configured rate", async () => {
    const mock = await start("openai", { faults: { rate: 1, kinds: ["server-error"] } });
    expect((await openaiPost(mock, { model: "m", input: "a" })).status).toBe(500);
    expect(mock.stats().faults).toEqual({ "server-error": 1 });
  });
});

describe("OpenAI SDK embeddings.create against the mock", () => {
  it("decodes the mock's base64 answer (the SDK's default) to the seeded vectors", async () => {
    const mock = await start("openai");
    const sdk = new OpenAI({ apiKey: "k", baseURL: mock.baseURL, maxRetries: 0 });
    const result = await sdk.embeddings.create({
      model: "text-embedding-3-small",
      input: ["one", "two"],
      dimensions: 16,
    });
    expect(mock.requests[0]?.body).toMatchObject({ encoding_format: "base64" });
    expect(result.data.map((d) => d.embedding)).toEqual([
      Array.from(seededVector("one", 16, 1)),
      Array.from(seededVector("two", 16, 1)),
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
  });

  it("reads float answers when asked for them", async () => {
    const mock = await start("openai");
    const sdk = new OpenAI({ apiKey: "k", baseURL: mock.baseURL, maxRetries: 0 });
    const result = await sdk.embeddings.create({
      model: "text-embedding-3-small",
      input: "one",
      dimensions: 4,
      encoding_format: "float",
    });
    expect(result.data[0]?.embedding).toEqual(Array.from(seededVector("one", 4, 1)));
  });
});

describe("Gemini embedContent / batchEmbedContents", () => {
  it("embeds one content with embedContent and outputDimensionality", async () => {
    const mock = await start("gemini");
    const body = await json(
      await geminiPost(mock, "gemini-embedding-001", "embedContent", {
        content: { parts: [{ text: "hel" }, { text: "lo" }] },
        outputDimensionality: 8,
      }),
    );
    expect(body).toEqual({ embedding: { values: Array.from(seededVector("hello", 8, 1)) } });
    expect(mock.requests[0]?.model).toBe("gemini-embedding-001");
  });

  it("embeds a batch in order, at the model's native size by default", async () => {
    const mock = await start("gemini");
    const body = await json(
      await geminiPost(mock, "text-embedding-004", "batchEmbedContents", {
        requests: ["a", "b"].map((text) => ({
          model: "models/text-embedding-004",
          content: { parts: [{ text }] },
        })),
      }),
    );
    expect(body.embeddings).toHaveLength(2);
    expect(body.embeddings[1].values).toEqual(Array.from(seededVector("b", 768, 1)));
  });

  it.each([
    ["embedContent", { content: { parts: [] } }, "must not be empty"],
    ["batchEmbedContents", { requests: [] }, "must not be empty"],
    [
      "batchEmbedContents",
      { requests: Array.from({ length: 101 }, () => ({ content: { parts: [{ text: "a" }] } })) },
      "at most 100",
    ],
    ["embedContent", [1], "Invalid JSON payload"],
  ])("refuses a bad %s body with Google's 400", async (method, body, message) => {
    const mock = await start("gemini");
    const response = await geminiPost(mock, "m", method, body);
    expect(response.status).toBe(400);
    expect((await json(response)).error.message).toContain(message);
  });
});

describe("Ollama /api/embed", () => {
  it("embeds a string or a list with the model's size and prompt_eval_count", async () => {
    const mock = await start("ollama");
    const one = await json(
      await post(`${mock.baseURL}/api/embed`, { model: "all-minilm", input: "hi" }),
    );
    expect(one.embeddings).toEqual([Array.from(seededVector("hi", 384, 1))]);
    expect(one.prompt_eval_count).toBe(1);
    const two = await json(
      await post(`${mock.baseURL}/api/embed`, {
        model: "nomic-embed-text:latest",
        input: ["a", "b"],
        dimensions: 3,
      }),
    );
    expect(two.model).toBe("nomic-embed-text:latest");
    expect(two.embeddings).toEqual([
      Array.from(seededVector("a", 3, 1)),
      Array.from(seededVector("b", 3, 1)),
    ]);
  });

  it.each([
    [{ input: "a" }, "model is required"],
    [{ model: "m", input: [{}] }, "invalid input type"],
    [[], "invalid character"],
  ])("refuses %j with Ollama's 400", async (body, message) => {
    const mock = await start("ollama");
    const response = await post(`${mock.baseURL}/api/embed`, body);
    expect(response.status).toBe(400);
    expect((await json(response)).error).toContain(message);
  });

  it("does not route GET or unknown paths to embeddings", async () => {
    const mock = await start("ollama");
    expect((await fetch(`${mock.baseURL}/api/embed`)).status).toBe(404);
    const anthropic = await start("anthropic");
    expect((await post(`${anthropic.baseURL}/embeddings`, {})).status).toBe(404);
  });
});
