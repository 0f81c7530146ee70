import {
  ConfigError,
  embed,
  embedMany,
  InvalidRequestError,
  NetworkError,
  ParseError,
  ProviderRegistry,
  RateLimitError,
  TimeoutError,
} from "@llm/core";
import { seededVector } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import { createGeminiEmbeddings, provider } from "./index.js";

const mock = useMockProvider({ provider: "gemini" });

const KEY = "AIza-embed-0123456789";
const client = (extra: Parameters<typeof createGeminiEmbeddings>[0] = {}) =>
  createGeminiEmbeddings({
    baseURL: mock.baseURL,
    apiKey: KEY,
    model: "gemini-embedding-001",
    ...extra,
  });
const vector = (text: string, dimensions: number) => seededVector(text, dimensions, 1);

describe("Gemini embeddings", () => {
  it("README example: embeds one text with embedContent and many with batchEmbedContents", async () => {
    const gemini = createGeminiEmbeddings({
      baseURL: mock.baseURL,
      apiKey: KEY,
      model: "gemini-embedding-001",
    });
    const { embedding } = await embed(gemini, "what is a vector?", { dimensions: 768 });
    const { embeddings } = await embedMany(gemini, ["first", "second"], { dimensions: 768 });
    expect(embedding).toEqual(vector("what is a vector?", 768));
    expect(embeddings).toEqual([vector("first", 768), vector("second", 768)]);
    expect(mock.requests.map((r) => r.path)).toEqual([
      "/v1beta/models/gemini-embedding-001:embedContent",
      "/v1beta/models/gemini-embedding-001:batchEmbedContents",
    ]);
  });

  it("sends outputDimensionality and providerOptions.gemini in each content request, the key in a header", async () => {
    await embedMany(client(), ["a", "b"], {
      dimensions: 8,
      providerOptions: { gemini: { taskType: "RETRIEVAL_DOCUMENT" } },
    });
    const sent = mock.requests[0];
    expect(sent?.body).toEqual({
      requests: ["a", "b"].map((text) => ({
        model: "models/gemini-embedding-001",
        content: { parts: [{ text }] },
        outputDimensionality: 8,
        taskType: "RETRIEVAL_DOCUMENT",
      })),
    });
    expect(sent?.headers["x-goog-api-key"]).toBe(KEY);
    expect(sent?.query.key).toBeUndefined();
  });

  it("batches to 100 inputs per call and keeps the order", async () => {
    const texts = Array.from({ length: 205 }, (_, i) => `t${i}`);
    const result = await embedMany(client(), texts, { dimensions: 2 });
    expect(
      mock.requests.map((r) => (r.body as { requests: unknown[] }).requests.length).sort(),
    ).toEqual([100, 100, 5]);
    expect(result.embeddings).toEqual(texts.map((t) => vector(t, 2)));
    expect(result.usage.inputTokens).toBe(0);
  });

  it("keeps a tuned model's path as given", async () => {
    const response = await client().embedBatch({
      inputs: ["x"],
      model: "models/text-embedding-004",
    });
    expect(mock.requests[0]?.path).toBe("/v1beta/models/text-embedding-004:embedContent");
    expect(response.embeddings[0]).toHaveLength(768);
  });

  it("is created through the registry, and makes no call for an empty batch", async () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    const gemini = registry.createEmbeddings("gemini", {
      baseURL: mock.baseURL,
      apiKey: KEY,
      model: "m",
    });
    expect((await gemini.embedBatch({ inputs: [] })).embeddings).toEqual([]);
    expect(mock.requests).toHaveLength(0);
  });

  it("refuses a batch without a model, without sending", async () => {
    await expect(
      createGeminiEmbeddings({ baseURL: mock.baseURL, apiKey: KEY }).embedBatch({ inputs: ["a"] }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});

describe("Gemini embeddings: bad answers and errors", () => {
  it.each([
    ["a single answer without embedding", ["a"], { embeddings: [] }],
    ["a single answer with bad values", ["a"], { embedding: { values: ["x"] } }],
    ["a batch answer without embeddings", ["a", "b"], { embedding: { values: [1] } }],
    ["a batch answer with a missing item", ["a", "b"], { embeddings: [{ values: [1] }] }],
    ["a batch item without values", ["a", "b"], { embeddings: [{ values: [1] }, {}] }],
    ["a body that is not an object", ["a"], [1]],
  ])("refuses %s with a ParseError", async (_, inputs, body) => {
    mock.enqueue({ status: 200, body });
    await expect(client().embedBatch({ inputs })).rejects.toBeInstanceOf(ParseError);
  });

  it("maps Google's 429 with RetryInfo to RateLimitError with the hint", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 3 });
    const error = await client()
      .embedBatch({ inputs: ["a"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3000);
  });

  it("maps the server's 400 to InvalidRequestError", async () => {
    await expect(client().embedBatch({ inputs: ["a"], dimensions: 5000 })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it("maps a reset to NetworkError and a hang to TimeoutError", async () => {
    mock.enqueue({ fault: "reset" }, { fault: "hang-headers" });
    await expect(client().embedBatch({ inputs: ["a"] })).rejects.toBeInstanceOf(NetworkError);
    await expect(client().embedBatch({ inputs: ["a"] }, { timeoutMs: 50 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });
});
