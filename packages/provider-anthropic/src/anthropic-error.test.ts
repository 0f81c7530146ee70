import {
  AuthenticationError,
  ContextLengthError,
  InvalidRequestError,
  type LLMError,
  ParseError,
  ProviderError,
  RateLimitError,
} from "@llm/core";
import { collectEvents } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import { anthropicStreamError } from "./anthropic-error.js";
import { createAnthropic } from "./index.js";

const API_KEY = "sk-ant-api03-secretvalue0123456789";
const mock = useMockProvider({ provider: "anthropic" });

const client = () =>
  createAnthropic({ baseURL: mock.baseURL, apiKey: API_KEY, model: "claude-sonnet-4-5" });
const hi = { messages: [{ role: "user" as const, content: "Hi" }] };

async function failure(promise: Promise<unknown>): Promise<LLMError> {
  try {
    await promise;
  } catch (error) {
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect(String((error as Error).message)).not.toContain(API_KEY);
    return error as LLMError;
  }
  throw new Error("expected a failure");
}

describe("HTTP errors", () => {
  it.each([401, 403])("maps %i to AuthenticationError", async (status) => {
    mock.enqueue({ status });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status, provider: "anthropic", retryable: false });
    expect(error.message).toMatch(/request id req_011C/);
  });

  it("maps 429 to a retryable RateLimitError with the retry-after hint and request id", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 2 });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2000, retryable: true });
    expect((error as RateLimitError).requestId).toMatch(/^req_011C/);
  });

  it("maps 'prompt is too long' to ContextLengthError", async () => {
    mock.enqueue({
      status: 400,
      body: {
        type: "error",
        error: {
          type: "invalid_request_error",
          message: "prompt is too long: 210000 tokens > 200000 maximum",
        },
      },
    });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(ContextLengthError);
    expect(error.message).toContain("prompt is too long");
  });

  it.each([400, 404])("maps %i to InvalidRequestError", async (status) => {
    mock.enqueue({ status });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status, retryable: false });
  });

  it("maps 529 overloaded to a retryable ProviderError", async () => {
    mock.enqueue({ status: 529 });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 529, retryable: true, provider: "anthropic" });
    expect(error.message).toContain("overloaded_error");
    expect((error as ProviderError).bodyExcerpt).toContain("Overloaded");
    expect((error as ProviderError).requestId).toMatch(/^req_011C/);
  });

  it("never puts the key in an error, even when the server echoes it", async () => {
    mock.enqueue({
      status: 401,
      body: {
        type: "error",
        error: { type: "authentication_error", message: `invalid x-api-key ${API_KEY}` },
      },
    });
    expect((await failure(client().generate(hi))).message).toContain("[REDACTED]");
  });
});

describe("broken streams", () => {
  it("throws a retryable ProviderError for an overloaded error event mid-stream", async () => {
    mock.enqueue({ fault: "error-mid-stream", afterChunks: 4 });
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const event of client().stream(hi)) seen.push(event.type);
      })(),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 529, retryable: true });
    expect(error.message).toContain("Overloaded");
    expect(seen[0]).toBe("start");
    expect(seen).not.toContain("finish");
  });

  it("throws ParseError naming the stream event for a payload that is not JSON", async () => {
    mock.enqueue({ fault: "malformed-json", afterChunks: 3 });
    const error = await failure(collectEvents(client().stream(hi)));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).where).toBe("stream event 4");
  });
});

describe("anthropicStreamError", () => {
  it("maps each documented error type as its HTTP status", () => {
    expect(
      anthropicStreamError({ type: "rate_limit_error", message: "slow down" }, {}),
    ).toBeInstanceOf(RateLimitError);
    expect(
      anthropicStreamError({ type: "authentication_error", message: "bad key" }, {}),
    ).toBeInstanceOf(AuthenticationError);
    expect(
      anthropicStreamError({ type: "invalid_request_error", message: "bad" }, {}),
    ).toBeInstanceOf(InvalidRequestError);
    expect(
      anthropicStreamError({ type: "api_error", message: "boom" }, { "request-id": "req_1" }),
    ).toMatchObject({
      status: 500,
      retryable: true,
      requestId: "req_1",
    });
    expect(anthropicStreamError({ message: "unknown" }, {})).toMatchObject({ status: 500 });
  });
});
