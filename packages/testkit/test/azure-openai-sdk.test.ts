import { AzureOpenAI } from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { azureContentFilterReply, type MockProvider, startMockProvider } from "../src/index.js";

const KEY = "azure-test-key-0123456789";
const VERSION = "2024-10-21";
let mock: MockProvider;
let client: AzureOpenAI;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "azure-openai", apiKey: KEY });
  client = new AzureOpenAI({
    apiKey: KEY,
    baseURL: mock.baseURL,
    apiVersion: VERSION,
    deployment: "gpt-4o-prod",
    maxRetries: 0,
  });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const user = (content: string) => [{ role: "user" as const, content }];
const post = (path: string, init: { headers?: Record<string, string>; body?: unknown } = {}) =>
  fetch(`${mock.origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: JSON.stringify(init.body ?? { messages: user("hi") }),
  });

describe("azure-openai mock with the official AzureOpenAI client", () => {
  it("serves baseURL as origin plus /openai", () => {
    expect(mock.baseURL).toBe(`${mock.origin}/openai`);
  });

  it("answers on the deployment route with Azure's filter results and headers", async () => {
    mock.enqueue({ text: "Hello from Azure", usage: { input: 5, output: 3 } });
    const response = await client.chat.completions
      .create({ model: "gpt-4o", messages: user("hi") })
      .withResponse();
    expect(response.data.choices[0]?.message.content).toBe("Hello from Azure");
    expect(response.data.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3 });
    const raw = response.data as unknown as Record<string, unknown>;
    expect(raw.prompt_filter_results).toMatchObject([{ prompt_index: 0 }]);
    expect(response.response.headers.get("x-ratelimit-remaining-requests")).toBe("999");
    const request = mock.requests[0];
    expect(request?.path).toBe("/openai/deployments/gpt-4o-prod/chat/completions");
    expect(request?.query).toEqual({ "api-version": VERSION });
    expect(request?.headers["api-key"]).toBe(KEY);
    expect(request?.model).toBe("gpt-4o-prod");
  });

  it("opens a stream with the prompt-filter chunk and marks the finishing chunk", async () => {
    mock.enqueue({ text: "one two", finishReason: "content_filter" });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: user("hi"),
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk as unknown as Record<string, unknown>);
    expect(chunks[0]).toMatchObject({ id: "", choices: [] });
    const last = chunks.findLast((c) => (c.choices as unknown[]).length > 0);
    expect(last).toMatchObject({
      choices: [
        {
          finish_reason: "content_filter",
          content_filter_results: { violence: { filtered: true } },
        },
      ],
    });
  });

  it("embeds on the deployment route without a model in the body", async () => {
    const response = await post(`/openai/deployments/emb/embeddings?api-version=${VERSION}`, {
      headers: { "api-key": KEY },
      body: { input: ["a", "b"], dimensions: 8 },
    });
    const body = (await response.json()) as { data: unknown[]; model: string };
    expect(response.status).toBe(200);
    expect(body.data).toHaveLength(2);
    expect(body.model).toBe("emb");
  });

  it("takes a bearer token instead of an api-key, and the v1 route without api-version", async () => {
    const response = await post("/openai/v1/chat/completions", {
      headers: { authorization: `Bearer ${KEY}` },
      body: { model: "gpt-4o", messages: user("hi") },
    });
    expect(response.status).toBe(200);
    expect(mock.requests[0]?.model).toBe("gpt-4o");
  });

  it("answers a deployment route without api-version with Azure's 404", async () => {
    const response = await post("/openai/deployments/gpt-4o-prod/chat/completions", {
      headers: { "api-key": KEY },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "404", message: "Resource not found" },
    });
  });

  it("rejects an api-version that is not a date with a 400", async () => {
    const response = await post("/openai/deployments/d/chat/completions?api-version=yesterday", {
      headers: { "api-key": KEY },
    });
    expect(response.status).toBe(400);
  });

  it("answers a wrong key, and no key, with Azure's 401", async () => {
    const wrong = await post(`/openai/deployments/d/chat/completions?api-version=${VERSION}`, {
      headers: { "api-key": "other-key-0123456789" },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: "401" } });
    const none = await post(`/openai/deployments/d/chat/completions?api-version=${VERSION}`);
    expect(none.status).toBe(401);
  });

  it("answers an unknown route with Azure's 404", async () => {
    const response = await post("/openai/unknown", { headers: { "api-key": KEY } });
    expect(response.status).toBe(404);
  });

  it("sends a 429 with Azure's body, retry-after and retry-after-ms", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 6 });
    const response = await post(`/openai/deployments/d/chat/completions?api-version=${VERSION}`, {
      headers: { "api-key": KEY },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("6");
    expect(response.headers.get("retry-after-ms")).toBe("6000");
    expect(response.headers.get("x-ratelimit-remaining-tokens")).toBe("0");
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("429");
    expect(body.error.message).toContain("Please retry after 6 seconds");
  });

  it("scripts the content_filter 400 with its innererror", async () => {
    mock.enqueue(azureContentFilterReply("hate", "medium"));
    const error = await client.chat.completions
      .create({ model: "gpt-4o", messages: user("hi") })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: "content_filter" });
    expect((error as { error: unknown }).error).toMatchObject({
      innererror: { content_filter_result: { hate: { filtered: true, severity: "medium" } } },
    });
  });

  it("lists models with an api-version", async () => {
    const response = await fetch(`${mock.baseURL}/models?api-version=${VERSION}`, {
      headers: { "api-key": KEY },
    });
    expect(response.status).toBe(200);
  });
});
