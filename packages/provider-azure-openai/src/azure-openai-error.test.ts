import {
  ContentFilterError,
  collectStream,
  InvalidRequestError,
  LLMError,
  RateLimitError,
} from "@llm/core";
import { azureContentFilterReply } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import {
  AzureContentFilterError,
  azureOpenAIErrorFromResponse,
  createAzureOpenAI,
} from "./index.js";

const KEY = "azure-error-key-0123456789";
const mock = useMockProvider({ provider: "azure-openai", apiKey: KEY });

const hi = { messages: [{ role: "user" as const, content: "Hi" }] };
const client = () => createAzureOpenAI({ baseURL: mock.baseURL, apiKey: KEY, model: "gpt-4o" });
const info = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  provider: "azure-openai",
  status,
  headers,
  bodyText: typeof body === "string" ? body : JSON.stringify(body),
});

describe("content filter", () => {
  it("maps the content_filter 400 to an AzureContentFilterError with the tripped category", async () => {
    mock.enqueue(azureContentFilterReply("violence", "high"));
    const error = await client()
      .generate(hi)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureContentFilterError);
    expect(error).toBeInstanceOf(ContentFilterError);
    expect(error).toMatchObject({
      retryable: false,
      status: 400,
      innerCode: "ResponsibleAIPolicyViolation",
      param: "prompt",
      filtered: ["violence (high)"],
      contentFilterResult: { violence: { filtered: true, severity: "high" } },
    });
    expect((error as Error).message).toBe(
      "azure-openai content filter blocked the prompt: violence (high)",
    );
    expect((error as AzureContentFilterError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("throws the same typed error from a stream", async () => {
    mock.enqueue(azureContentFilterReply("self_harm", "medium"));
    const error = await collectStream(client().stream(hi)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureContentFilterError);
    expect(error).toMatchObject({ filtered: ["self_harm (medium)"] });
  });

  it("recognises the refusal by innererror alone, and without verdicts", () => {
    const error = azureOpenAIErrorFromResponse(
      info(400, {
        error: { message: "blocked", innererror: { code: "ResponsibleAIPolicyViolation" } },
      }),
    );
    expect(error).toBeInstanceOf(AzureContentFilterError);
    expect(error.message).toBe("azure-openai content filter blocked the request");
    expect(error).toMatchObject({ filtered: [] });
  });

  it("reports a filtered answer as finishReason content-filter with Azure's verdicts as metadata", async () => {
    mock.enqueue({ text: "I cannot", finishReason: "content_filter" });
    const response = await client().generate(hi);
    expect(response.finishReason).toBe("content-filter");
    expect(response.rawFinishReason).toBe("content_filter");
    expect(response.providerMetadata).toMatchObject({
      contentFilterResults: { violence: { filtered: true, severity: "medium" } },
      promptFilterResults: { hate: { filtered: false, severity: "safe" } },
    });
  });

  it("reports a filtered stream as finishReason content-filter", async () => {
    mock.enqueue({ text: "I cannot go on", finishReason: "content_filter" });
    const response = await collectStream(client().stream(hi));
    expect(response.text).toBe("I cannot go on");
    expect(response.finishReason).toBe("content-filter");
  });
});

describe("rate limits and other answers", () => {
  it("reads retry-after-ms and the rate-limit headers of a 429", async () => {
    mock.enqueue({ status: 429, retryAfterMs: 1500 });
    const error = await client()
      .generate(hi)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 1500, status: 429 });
  });

  it("takes the retry hint from a 429 message when no header gives one", () => {
    const error = azureOpenAIErrorFromResponse(
      info(
        429,
        { error: { code: "429", message: "Rate limit. Please retry after 7 seconds." } },
        { "apim-request-id": "req-1" },
      ),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 7000, requestId: "req-1", retryable: true });
  });

  it("leaves a 429 without any hint as it is", () => {
    const error = azureOpenAIErrorFromResponse(
      info(429, { error: { code: "429", message: "Slow down." } }),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeUndefined();
  });

  it("reads Azure's rate-limit headers and request id on an answer", async () => {
    mock.enqueue({ text: "ok" });
    const response = await client().generate(hi);
    expect(response.rateLimit).toEqual({
      requests: { limit: 1000, remaining: 999 },
      tokens: { limit: 150000, remaining: 149000 },
    });
    expect(response.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("maps an unsupported api-version (400) to an InvalidRequestError", async () => {
    const bad = createAzureOpenAI({
      baseURL: mock.baseURL,
      apiKey: KEY,
      model: "gpt-4o",
      apiVersion: "yesterday",
    });
    const error = await bad.generate(hi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain("API version not supported");
  });

  it("maps a body that is not JSON through the status table", () => {
    const error = azureOpenAIErrorFromResponse(info(502, "<html>Bad gateway</html>"));
    expect(error).toBeInstanceOf(LLMError);
    expect(error).toMatchObject({ retryable: true, status: 502 });
    expect(azureOpenAIErrorFromResponse(info(500, "{not json"))).toMatchObject({ status: 500 });
    expect(azureOpenAIErrorFromResponse(info(500, '"text"'))).toMatchObject({ status: 500 });
  });

  it("redacts a key echoed in an error message", () => {
    const error = azureOpenAIErrorFromResponse(
      info(400, { error: { code: "content_filter", message: `key ${KEY}`, param: "prompt" } }),
    );
    expect(JSON.stringify(error)).not.toContain(KEY);
  });
});
