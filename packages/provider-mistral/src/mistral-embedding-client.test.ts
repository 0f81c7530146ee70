import { embedMany, InvalidRequestError, ParseError } from "@llm/core";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import { createMistralEmbeddings, type MistralProviderSettings } from "./index.js";

const mock = useMockProvider({ provider: "mistral" });

const embeddings = (settings: MistralProviderSettings = {}) =>
  createMistralEmbeddings({
    baseURL: mock.baseURL,
    apiKey: "embed-key-0123456789",
    model: "mistral-embed",
    ...settings,
  });
const lastBody = () => mock.requests.at(-1)?.body as Record<string, unknown>;

describe("MistralEmbeddingClient", () => {
  it("posts the inputs to /v1/embeddings and reads 1024-dimension float32 vectors", async () => {
    const response = await embeddings().embedBatch({ inputs: ["hello", "world"] });
    expect(mock.requests[0]?.path).toBe("/v1/embeddings");
    expect(lastBody()).toEqual({ model: "mistral-embed", input: ["hello", "world"] });
    expect(response.provider).toBe("mistral");
    expect(response.model).toBe("mistral-embed");
    expect(response.embeddings).toHaveLength(2);
    expect(response.embeddings[0]).toBeInstanceOf(Float32Array);
    expect(response.embeddings[0]?.length).toBe(1024);
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.requestId).toMatch(/^[0-9a-f]{32}$/);
    // The mock's vectors are unit length and the same text always gets the same one.
    const again = await embeddings().embedBatch({ inputs: ["world"] });
    expect(Array.from(again.embeddings[0] ?? [])).toEqual(Array.from(response.embeddings[1] ?? []));
  });

  it("sends dimensions as output_dimension (codestral-embed)", async () => {
    const response = await embeddings({ model: "codestral-embed" }).embedBatch({
      inputs: ["def f(): pass"],
      dimensions: 256,
    });
    expect(lastBody()).toEqual({
      model: "codestral-embed",
      input: ["def f(): pass"],
      output_dimension: 256,
    });
    expect(response.embeddings[0]?.length).toBe(256);
  });

  it("passes output_dtype through providerOptions and reads int8 and packed binary vectors", async () => {
    const int8 = await embeddings({ model: "codestral-embed" }).embedBatch({
      inputs: ["a"],
      dimensions: 64,
      providerOptions: { mistral: { output_dtype: "int8" } },
    });
    expect(lastBody()).toMatchObject({ output_dtype: "int8", output_dimension: 64 });
    const values = Array.from(int8.embeddings[0] ?? []);
    expect(values).toHaveLength(64);
    expect(values.every((v) => Number.isInteger(v) && v >= -128 && v <= 127)).toBe(true);
    const binary = await embeddings({ model: "codestral-embed" }).embedBatch({
      inputs: ["a", "b"],
      dimensions: 64,
      providerOptions: { mistral: { output_dtype: "ubinary" } },
    });
    expect(binary.embeddings.map((v) => v.length)).toEqual([8, 8]);
  });

  it("reads base64 float32 vectors when encoding_format is base64", async () => {
    const floats = await embeddings().embedBatch({ inputs: ["same text"] });
    const base64 = await embeddings().embedBatch({
      inputs: ["same text"],
      providerOptions: { mistral: { encoding_format: "base64" } },
    });
    expect(lastBody()).toMatchObject({ encoding_format: "base64" });
    expect(Array.from(base64.embeddings[0] ?? [])).toEqual(Array.from(floats.embeddings[0] ?? []));
  });

  it("maps the API's refusal of an output_dimension for mistral-embed to InvalidRequestError", async () => {
    await expect(
      embeddings().embedBatch({ inputs: ["a"], dimensions: 256 }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it("batches embedMany by 32 inputs per call", async () => {
    const inputs = Array.from({ length: 70 }, (_, i) => `text ${i}`);
    const result = await embedMany(embeddings(), inputs);
    expect(result.embeddings).toHaveLength(70);
    expect(mock.requests.map((r) => (r.body as { input: string[] }).input.length)).toEqual([
      32, 32, 6,
    ]);
  });

  it("puts vectors in input order by their index and rejects one for no input", async () => {
    const vector = [0.5, 0.25];
    mock.enqueue({
      status: 200,
      body: {
        id: "e",
        object: "list",
        model: "mistral-embed",
        data: [
          { object: "embedding", embedding: [1, 2], index: 1 },
          { object: "embedding", embedding: vector, index: 0 },
        ],
        usage: { prompt_tokens: 2, total_tokens: 2 },
      },
    });
    const response = await embeddings().embedBatch({ inputs: ["a", "b"] });
    expect(Array.from(response.embeddings[0] ?? [])).toEqual(vector);
    mock.enqueue({
      status: 200,
      body: { data: [{ embedding: [1], index: 5 }], usage: {} },
    });
    await expect(embeddings().embedBatch({ inputs: ["a"] })).rejects.toMatchObject({
      name: "ParseError",
      where: "response body .data[0].index",
    });
  });

  it("names what is wrong with a body that is not an embedding list", async () => {
    mock.enqueue({ status: 200, body: { object: "list" } });
    await expect(embeddings().embedBatch({ inputs: ["a"] })).rejects.toBeInstanceOf(ParseError);
    mock.enqueue({ status: 200, body: { data: [] } });
    await expect(embeddings().embedBatch({ inputs: ["a"] })).rejects.toThrow(
      "mistral returned 0 embeddings for 1 inputs",
    );
  });
});
