import { embedMany, InvalidRequestError, ProviderRegistry } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBedrockEmbeddings, provider } from "./index.js";

const keys = { accessKeyId: "AKIDEMBED", secretAccessKey: "embed-secret-000" };
let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "bedrock", apiKey: keys.accessKeyId });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

const embeddings = () =>
  createBedrockEmbeddings({ region: "us-east-1", baseURL: mock.baseURL, env: {}, ...keys });

describe("Titan embeddings through InvokeModel", () => {
  it("embeds one text per signed InvokeModel call, with Titan V2's default model and size", async () => {
    const client = embeddings();
    const response = await client.embedBatch({ inputs: ["hello world"] });
    expect(client.maxInputsPerCall).toBe(1);
    expect(response.model).toBe("amazon.titan-embed-text-v2:0");
    expect(response.embeddings[0]).toBeInstanceOf(Float32Array);
    expect(response.embeddings[0]?.length).toBe(1024);
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const request = mock.requests[0];
    expect(request?.path).toBe(
      `/model/${encodeURIComponent("amazon.titan-embed-text-v2:0")}/invoke`,
    );
    expect(request?.body).toEqual({ inputText: "hello world" });
    expect(request?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEMBED\//);
  });

  it("sends dimensions and providerOptions.bedrock, and embedMany fans out one call per text in order", async () => {
    const client = embeddings();
    const many = await embedMany(client, ["a", "b", "c"], {
      dimensions: 256,
      providerOptions: { bedrock: { normalize: true } },
    });
    expect(many.embeddings.map((e) => e.length)).toEqual([256, 256, 256]);
    expect(mock.requests).toHaveLength(3);
    expect(mock.requests.map((r) => (r.body as { inputText: string }).inputText).sort()).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(mock.requests[0]?.body).toMatchObject({ dimensions: 256, normalize: true });
    const again = await client.embedBatch({ inputs: ["b"], dimensions: 256 });
    expect(Array.from(again.embeddings[0] ?? [])).toEqual(Array.from(many.embeddings[1] ?? []));
  });

  it("maps Titan's validation error for a size it does not offer", async () => {
    await expect(embeddings().embedBatch({ inputs: ["x"], dimensions: 300 })).rejects.toThrow(
      InvalidRequestError,
    );
  });

  it("rejects a body that is not an embedding with a ParseError naming the field", async () => {
    mock.enqueue({ status: 200, body: { embedding: "nope" } });
    await expect(embeddings().embedBatch({ inputs: ["x"] })).rejects.toMatchObject({
      code: "PARSE",
    });
    mock.enqueue({ status: 200, body: [1, 2] });
    await expect(embeddings().embedBatch({ inputs: ["x"] })).rejects.toThrow(/not an embedding/);
  });

  it("is what the registry's createEmbeddings builds, with the chat client's cache scope", () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    const settings = {
      region: "us-east-1",
      baseURL: mock.baseURL,
      env: {},
      ...keys,
      maxParallelCalls: 2,
    };
    const client = registry.createEmbeddings("bedrock", settings);
    expect(client.maxParallelCalls).toBe(2);
    expect(client.cacheScope?.instance).toBe(
      registry.create("bedrock", settings).cacheScope?.instance,
    );
  });
});
