import {
  ConfigError,
  embed,
  embedMany,
  InvalidRequestError,
  NetworkError,
  ParseError,
  ProviderRegistry,
  TimeoutError,
} from "@llm/core";
import { seededVector } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import { createOllamaEmbeddings, provider } from "./index.js";

const mock = useMockProvider({ provider: "ollama" });

const client = (extra: Parameters<typeof createOllamaEmbeddings>[0] = {}) =>
  createOllamaEmbeddings({ baseURL: mock.baseURL, model: "nomic-embed-text", env: {}, ...extra });
const vector = (text: string, dimensions: number) => seededVector(text, dimensions, 1);

describe("Ollama embeddings", () => {
  it("README example: embeds texts on /api/embed with prompt_eval_count as usage", async () => {
    const ollama = createOllamaEmbeddings({ baseURL: mock.baseURL, model: "nomic-embed-text" });
    const { embeddings, usage } = await embedMany(ollama, ["llamas", "alpacas"]);
    expect(embeddings).toEqual([vector("llamas", 768), vector("alpacas", 768)]);
    expect(usage.inputTokens).toBe(4);
    expect((await embed(ollama, "llamas")).embedding).toEqual(vector("llamas", 768));
  });

  it("sends model, input, dimensions and providerOptions.ollama", async () => {
    await embedMany(client(), ["a"], {
      dimensions: 3,
      providerOptions: { ollama: { truncate: false } },
    });
    expect(mock.requests[0]?.path).toBe("/api/embed");
    expect(mock.requests[0]?.body).toEqual({
      model: "nomic-embed-text",
      input: ["a"],
      dimensions: 3,
      truncate: false,
    });
  });

  it("batches to maxInputsPerCall and sends a key only when given", async () => {
    const texts = ["a", "b", "c"];
    const result = await embedMany(
      client({ maxInputsPerCall: 2, apiKey: "proxy-key-0123456789" }),
      texts,
      {
        dimensions: 2,
      },
    );
    expect(mock.requests).toHaveLength(2);
    expect(mock.requests[0]?.headers.authorization).toBe("Bearer proxy-key-0123456789");
    expect(result.embeddings).toEqual(texts.map((t) => vector(t, 2)));
  });

  it("is created through the registry", async () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    const ollama = registry.createEmbeddings("ollama", {
      baseURL: mock.baseURL,
      model: "all-minilm",
    });
    expect((await ollama.embedBatch({ inputs: ["x"] })).embeddings[0]).toHaveLength(384);
  });

  it("refuses a batch without a model, without sending", async () => {
    await expect(
      createOllamaEmbeddings({ baseURL: mock.baseURL, env: {} }).embedBatch({ inputs: ["a"] }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});

describe("Ollama embeddings: bad answers and errors", () => {
  it.each([
    ["no embeddings", { model: "m" }],
    ["a vector of strings", { embeddings: [["1"]] }],
    ["too few vectors", { embeddings: [] }],
  ])("refuses %s with a ParseError", async (_, body) => {
    mock.enqueue({ status: 200, body });
    await expect(client().embedBatch({ inputs: ["a"] })).rejects.toBeInstanceOf(ParseError);
  });

  it("names the model to pull on a model-not-found 404", async () => {
    mock.enqueue({
      status: 404,
      body: { error: 'model "nomic-embed-text" not found, try pulling it first' },
    });
    const error = await client()
      .embedBatch({ inputs: ["a"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain("ollama pull nomic-embed-text");
  });

  it("maps a reset to NetworkError and a hang to TimeoutError", async () => {
    mock.enqueue({ fault: "reset" }, { fault: "hang-headers" });
    await expect(client().embedBatch({ inputs: ["a"] })).rejects.toBeInstanceOf(NetworkError);
    await expect(client().embedBatch({ inputs: ["a"] }, { timeoutMs: 50 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });
});
