import {
  AuthenticationError,
  ContentFilterError,
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
import { createOpenAI } from "./index.js";
import { openAIErrorFromResponse, openAIStreamError } from "./openai-error.js";

const API_KEY = "sk-proj-secretvalue0123456789";
const mock = useMockProvider({ provider: "openai" });

const client = () => createOpenAI({ baseURL: mock.baseURL, apiKey: API_KEY, model: "gpt-4o-mini" });
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
  it("maps 401 to AuthenticationError with the provider's message", async () => {
    mock.enqueue({ status: 401 });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, provider: "openai", retryable: false });
    // (core's redactor masks the word after "invalid_api_key:"; the rest of the message survives)
    expect(error.message).toContain("API key provided");
    expect(error.message).toMatch(/request id req_/);
  });

  it("maps 403 to AuthenticationError", async () => {
    mock.enqueue({ status: 403 });
    expect(await failure(client().generate(hi))).toBeInstanceOf(AuthenticationError);
  });

  it("prefers retry-after-ms over retry-after", async () => {
    mock.enqueue({ status: 429, retryAfterMs: 1500 });
    expect(await failure(client().generate(hi))).toMatchObject({ retryAfterMs: 1500 });
  });

  it("maps insufficient_quota to a RateLimitError that is not retryable", async () => {
    mock.enqueue({
      status: 429,
      body: {
        error: {
          message: "You exceeded your current quota, please check your plan and billing details.",
          type: "insufficient_quota",
          param: null,
          code: "insufficient_quota",
        },
      },
    });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("You exceeded your current quota");
  });

  it("maps context_length_exceeded to ContextLengthError", async () => {
    mock.enqueue({
      status: 400,
      body: {
        error: {
          message:
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        },
      },
    });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(ContextLengthError);
    expect(error.retryable).toBe(false);
  });

  it("maps a content policy rejection to ContentFilterError", async () => {
    mock.enqueue({
      status: 400,
      body: {
        error: {
          message: "Your request was rejected.",
          type: "invalid_request_error",
          code: "content_policy_violation",
        },
      },
    });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(ContentFilterError);
    expect(error.message).toContain("content_policy_violation");
  });

  it.each([400, 404, 422])("maps %i to InvalidRequestError with its status", async (status) => {
    mock.enqueue({ status });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status, retryable: false });
  });

  it.each([500, 502, 503])(
    "maps %i to a retryable ProviderError with request id and body excerpt",
    async (status) => {
      mock.enqueue({ status });
      const error = await failure(client().generate(hi));
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ status, retryable: true, provider: "openai" });
      expect((error as ProviderError).requestId).toMatch(/^req_/);
      expect((error as ProviderError).bodyExcerpt).toContain('"type":"server_error"');
    },
  );

  it("reads error bodies of compatible servers that are not OpenAI-shaped", async () => {
    mock.enqueue({ status: 400, body: { error: "model 'llama3' not found" } });
    const first = await failure(client().generate(hi));
    expect(first).toBeInstanceOf(InvalidRequestError);
    expect(first.message).toContain("model 'llama3' not found");
    mock.enqueue({ status: 400, body: { message: "bad temperature", type: "BadRequestError" } });
    expect((await failure(client().generate(hi))).message).toContain("bad temperature");
    mock.enqueue({ status: 503, body: { detail: "warming up" } });
    expect(await failure(client().generate(hi))).toMatchObject({ status: 503, retryable: true });
  });

  it("never puts the key in an error, even when the server echoes it", async () => {
    mock.enqueue({
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${API_KEY}.`,
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      },
    });
    const error = await failure(client().generate(hi));
    expect(error.message).toContain("[REDACTED]");
  });
});

describe("broken answers", () => {
  it("throws the mapped error for an error chunk in the middle of a stream", async () => {
    mock.enqueue({
      text: "one two three four five six",
      fault: "error-mid-stream",
      afterChunks: 3,
    } as never);
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const event of client().stream(hi)) seen.push(event.type);
      })(),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect(error.message).toContain("The server had an error");
    expect(seen[0]).toBe("start");
    expect(seen).not.toContain("finish");
  });

  it("throws ParseError naming the stream event for a chunk that is not JSON", async () => {
    mock.enqueue({ fault: "malformed-json", afterChunks: 2 });
    const error = await failure(collectEvents(client().stream(hi)));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).where).toBe("stream event 3");
  });

  it("throws ParseError naming the content type when a stream request gets a plain JSON answer", async () => {
    mock.enqueue({ status: 200, body: { choices: [{ message: { content: "not streamed" } }] } });
    const error = await failure(collectEvents(client().stream(hi)));
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toContain(
      "ended the stream without sending a chunk (content-type: application/json",
    );
  });
});

describe("openAIStreamError", () => {
  it("infers the status of an in-stream error from its type and code", () => {
    expect(
      openAIStreamError({ message: "slow down", type: "rate_limit_exceeded" }, {}),
    ).toBeInstanceOf(RateLimitError);
    expect(
      openAIStreamError({ message: "too long", code: "context_length_exceeded" }, {}),
    ).toBeInstanceOf(ContextLengthError);
    expect(openAIStreamError({ message: "bad", type: "invalid_request_error" }, {})).toBeInstanceOf(
      InvalidRequestError,
    );
    expect(
      openAIStreamError({ message: "boom" }, { "x-request-id": "req_1" }, "groq"),
    ).toMatchObject({
      status: 500,
      provider: "groq",
      requestId: "req_1",
    });
  });
});

describe("error bodies of an unexpected shape (found by tests/reliability fuzzing)", () => {
  it.each([
    ['{"error":{"message":null,"type":"requests","code":"rate_limit_exceeded"}}', RateLimitError],
    ['{"error":{"code":"429","message":[]}}', InvalidRequestError],
    ['{"error":{"message":{"nested":true},"code":"insufficient_quota"}}', RateLimitError],
    ['{"error":{"message":7,"code":"content_filter"}}', ContentFilterError],
  ])("a non-string message in %s is no message, not a TypeError", (body, type) => {
    const error = openAIErrorFromResponse(body.includes("rate_limit") ? 429 : 400, {}, body);
    expect(error).toBeInstanceOf(type);
    expect(error.message).not.toContain("[object");
  });
});
