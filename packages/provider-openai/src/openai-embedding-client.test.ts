import {
  AbortError,
  AuthenticationError,
  ConfigError,
  embed,
  embedMany,
  InvalidRequestError,
  LimitExceededError,
  NetworkError,
  ParseError,
  ProviderRegistry,
  RateLimitError,
  TimeoutError,
} from "@llm/core";
import { seededVector, startMockProvider } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { createOpenAIEmbeddings, provider } from "./index.js";

const mock = useMockProvider({ provider: "openai" });

const KEY = "sk-embed-0123456789";
const client = (extra: Parameters<typeof createOpenAIEmbeddings>[0] = {}) =>
  createOpenAIEmbeddings({
    baseURL: mock.baseURL,
    apiKey: KEY,
    model: "text-embedding-3-small",
    ...extra,
  });
const vector = (text: string, dimensions: number) => seededVector(text, dimensions, 1);
const base64Of = (v: Float32Array) =>
  Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");

describe("OpenAI embeddings", () => {
  it("README example: embeds texts as Float32Arrays in order, with usage", async () => {
    const openai = createOpenAIEmbeddings({
      baseURL: mock.baseURL,
      apiKey: KEY,
      model: "text-embedding-3-small",
    });
    const { embeddings, usage } = await embedMany(openai, ["sunny day", "rainy night"], {
      dimensions: 256,
    });
    expect(embeddings).toEqual([vector("sunny day", 256), vector("rainy night", 256)]);
    expect(embeddings[0]).toBeInstanceOf(Float32Array);
    expect(usage.inputTokens).toBe(6);
    const { embedding } = await embed(openai, "sunny day", { dimensions: 256 });
    expect(embedding).toEqual(vector("sunny day", 256));
  });

  it("sends model, input, base64 encoding and dimensions, with the key", async () => {
    await embedMany(client(), ["a"], { dimensions: 4 });
    const sent = mock.requests[0];
    expect(sent?.path).toBe("/v1/embeddings");
    expect(sent?.body).toEqual({
      model: "text-embedding-3-small",
      input: ["a"],
      encoding_format: "base64",
      dimensions: 4,
    });
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("batches to maxInputsPerCall, one request per batch", async () => {
    const texts = Array.from({ length: 7 }, (_, i) => `text ${i}`);
    const result = await embedMany(client({ maxInputsPerCall: 3, maxParallelCalls: 1 }), texts, {
      dimensions: 2,
    });
    expect(mock.requests.map((r) => (r.body as { input: string[] }).input.length)).toEqual([
      3, 3, 1,
    ]);
    expect(result.embeddings).toEqual(texts.map((t) => vector(t, 2)));
    expect(result.batches).toBe(3);
  });

  it("merges providerOptions.openai into the body and reports the x-request-id", async () => {
    const openai = client();
    const response = await openai.embedBatch({
      inputs: ["a"],
      dimensions: 2,
      providerOptions: { openai: { user: "u-1" } },
    });
    expect(mock.requests[0]?.body).toMatchObject({ user: "u-1" });
    expect(response.requestId).toMatch(/^req_/);
  });

  it("is created through the registry from the provider definition", async () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    const viaRegistry = registry.createEmbeddings("openai", { baseURL: mock.baseURL, apiKey: KEY });
    const result = await viaRegistry.embedBatch({
      inputs: ["x"],
      model: "text-embedding-3-small",
      dimensions: 3,
    });
    expect(result.embeddings).toEqual([vector("x", 3)]);
    expect(viaRegistry.cacheScope?.instance).toContain(mock.baseURL);
  });

  it("refuses a batch over the limit and a batch without a model, without sending", async () => {
    await expect(
      client({ maxInputsPerCall: 1 }).embedBatch({ inputs: ["a", "b"] }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      createOpenAIEmbeddings({ baseURL: mock.baseURL, apiKey: KEY }).embedBatch({ inputs: ["a"] }),
    ).rejects.toBeInstanceOf(ConfigError);
    expect(mock.requests).toHaveLength(0);
  });
});

describe("OpenAI embeddings: answers read as they come", () => {
  it("reads JSON number vectors from a server that ignores encoding_format", async () => {
    mock.enqueue({
      status: 200,
      body: {
        data: [{ index: 0, embedding: [0.5, -0.25] }],
        model: "compat",
        usage: { prompt_tokens: 1 },
      },
    });
    const response = await client().embedBatch({ inputs: ["a"] });
    expect(Array.from(response.embeddings[0] ?? [])).toEqual([0.5, -0.25]);
    expect(response.model).toBe("compat");
  });

  it("puts vectors back in input order by their index", async () => {
    const a = Float32Array.from([1, 2]);
    const b = Float32Array.from([3, 4]);
    mock.enqueue({
      status: 200,
      body: {
        data: [
          { index: 1, embedding: base64Of(b) },
          { index: 0, embedding: base64Of(a) },
        ],
      },
    });
    const response = await client().embedBatch({ inputs: ["a", "b"] });
    expect(response.embeddings).toEqual([a, b]);
    expect(response.usage.inputTokens).toBe(0);
  });

  it.each([
    ["not a list", { object: "list" }],
    ["too few vectors", { data: [] }],
    ["an index out of range", { data: [{ index: 3, embedding: [1] }] }],
    [
      "a duplicate index",
      {
        data: [
          { index: 0, embedding: [1] },
          { index: 0, embedding: [1] },
        ],
      },
    ],
    ["a vector that is not base64", { data: [{ index: 0, embedding: "%%%" }] }],
    ["a vector of null", { data: [{ index: 0, embedding: null }] }],
    [
      "vectors of two sizes",
      {
        data: [
          { index: 0, embedding: [1] },
          { index: 1, embedding: [1, 2] },
        ],
      },
    ],
  ])("refuses %s with a ParseError", async (_, body) => {
    mock.enqueue({ status: 200, body });
    await expect(client().embedBatch({ inputs: ["a", "b"].slice(0, 2) })).rejects.toBeInstanceOf(
      ParseError,
    );
  });

  it("refuses vectors of another size than the dimensions asked for", async () => {
    mock.enqueue({ status: 200, body: { data: [{ index: 0, embedding: [1, 2, 3] }] } });
    await expect(client().embedBatch({ inputs: ["a"], dimensions: 2 })).rejects.toThrow(
      "expected 2",
    );
  });
});

describe("OpenAI embeddings: errors mapped like chat", () => {
  it("maps 429 to RateLimitError with the retry hint", async () => {
    mock.enqueue({ status: 429, retryAfterMs: 1500 });
    const error = await client()
      .embedBatch({ inputs: ["a"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(1500);
  });

  it("maps a bad key to AuthenticationError without the key in the message", async () => {
    const guarded = await startMockProvider({ provider: "openai", apiKey: "sk-right-0123456789" });
    try {
      const error = await createOpenAIEmbeddings({
        baseURL: guarded.baseURL,
        apiKey: KEY,
        model: "m",
      })
        .embedBatch({ inputs: ["a"] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(String((error as Error).message)).not.toContain(KEY);
    } finally {
      await guarded.close();
    }
  });

  it("maps the server's 400 to InvalidRequestError", async () => {
    await expect(client().embedBatch({ inputs: ["a"], dimensions: 99_999 })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it("maps a reset mid-body to NetworkError and a cut body to ParseError", async () => {
    mock.enqueue({ fault: "reset" }, { fault: "malformed-json" });
    await expect(client().embedBatch({ inputs: ["a"] })).rejects.toBeInstanceOf(NetworkError);
    await expect(client().embedBatch({ inputs: ["a"] })).rejects.toBeInstanceOf(ParseError);
  });

  it("gives up on a server that never answers after timeoutMs", async () => {
    mock.enqueue({ fault: "hang-headers" });
    await expect(embedMany(client(), ["a"], { timeoutMs: 50 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });

  it("stops when the caller aborts", async () => {
    mock.enqueue({ fault: "hang-headers" });
    const controller = new AbortController();
    const pending = client().embedBatch({ inputs: ["a"] }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it("bounds the answer by limits.maxBodyBytes", async () => {
    await expect(
      client({ limits: { maxBodyBytes: 1024 } }).embedBatch({ inputs: ["a"], dimensions: 1024 }),
    ).rejects.toBeInstanceOf(LimitExceededError);
  });
});

describe("parity with the official openai SDK's embeddings.create", () => {
  it("sends the same body and reads the same vectors and usage", async () => {
    const sdk = new OpenAI({ apiKey: KEY, baseURL: mock.baseURL, maxRetries: 0 });
    const inputs = ["the same text", "and another"];
    const theirs = await sdk.embeddings.create({
      model: "text-embedding-3-small",
      input: inputs,
      dimensions: 32,
    });
    const ours = await client().embedBatch({ inputs, dimensions: 32 });
    const [sdkRequest, ourRequest] = mock.requests;
    expect(ourRequest?.body).toEqual(sdkRequest?.body);
    expect(ours.embeddings.map((v) => Array.from(v))).toEqual(theirs.data.map((d) => d.embedding));
    expect(ours.usage.inputTokens).toBe(theirs.usage.prompt_tokens);
    expect(ours.model).toBe(theirs.model);
  });
});
