import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ContextLengthError,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
} from "../errors/errors.js";
import { extractErrorDetails, httpErrorFromResponse } from "./http-error.js";

const openaiBody = (message: string, type = "invalid_request_error", code: string | null = null) =>
  JSON.stringify({ error: { message, type, param: null, code } });

describe("httpErrorFromResponse", () => {
  it("maps 401 and 403 to AuthenticationError", () => {
    for (const status of [401, 403]) {
      const error = httpErrorFromResponse({
        provider: "openai",
        status,
        headers: {},
        bodyText: openaiBody(
          "Incorrect API key provided: sk-proj-abcdefghijklmnop1234",
          "invalid_request_error",
        ),
      });
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.retryable).toBe(false);
      expect(error.message).not.toContain("abcdefghijklmnop1234");
    }
  });

  it("maps 429 to RateLimitError with the retry hint and request id", () => {
    const error = httpErrorFromResponse({
      provider: "openai",
      status: 429,
      headers: { "retry-after": "2", "x-request-id": "req_9" },
      bodyText: openaiBody("Rate limit reached", "requests"),
    }) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(2000);
    expect(error.requestId).toBe("req_9");
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      "openai returned HTTP 429 requests: Rate limit reached (request id req_9)",
    );
  });

  it("maps 400, 404 and 422 to InvalidRequestError", () => {
    for (const status of [400, 404, 422]) {
      const error = httpErrorFromResponse({ provider: "x", status, headers: {}, bodyText: "bad" });
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).status).toBe(status);
    }
  });

  it("recognises context-length wording in the message or the type", () => {
    const wordings = [
      "This model's maximum context length is 8192 tokens",
      "prompt is too long: 210000 tokens > 200000 maximum",
      "Too many tokens in the request",
      "input exceeds the context window",
    ];
    for (const message of wordings) {
      const error = httpErrorFromResponse({
        provider: "x",
        status: 400,
        headers: {},
        bodyText: JSON.stringify({
          type: "error",
          error: { type: "invalid_request_error", message },
        }),
      });
      expect(error).toBeInstanceOf(ContextLengthError);
    }
    const byType = httpErrorFromResponse({
      provider: "x",
      status: 400,
      headers: {},
      bodyText: "{}",
      type: "context_length_exceeded",
    });
    expect(byType).toBeInstanceOf(ContextLengthError);
  });

  it("maps 408, 409, 5xx and 529 to a retryable ProviderError with a redacted excerpt", () => {
    for (const status of [408, 409, 500, 503, 529]) {
      const error = httpErrorFromResponse({
        provider: "anthropic",
        status,
        headers: { "request-id": "req_a", "retry-after": "1" },
        bodyText: JSON.stringify({
          type: "error",
          error: { type: "overloaded_error", message: "Overloaded" },
        }),
      }) as ProviderError;
      expect(error).toBeInstanceOf(ProviderError);
      expect(error.retryable).toBe(true);
      expect(error.requestId).toBe("req_a");
      expect(error.retryAfterMs).toBe(1000);
      expect(error.bodyExcerpt).toContain("overloaded_error");
    }
  });

  it("maps other statuses to a non-retryable ProviderError", () => {
    const error = httpErrorFromResponse({
      provider: "x",
      status: 402,
      headers: {},
      bodyText: "pay up",
    });
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("x returned HTTP 402: pay up");
  });

  it("uses the caller's message when given and truncates long bodies", () => {
    const error = httpErrorFromResponse({
      provider: "x",
      status: 500,
      headers: {},
      bodyText: "y".repeat(1000),
      message: "custom",
    });
    expect(error.message).toBe("x returned HTTP 500: custom");
    const long = httpErrorFromResponse({
      provider: "x",
      status: 500,
      headers: {},
      bodyText: "y".repeat(1000),
    });
    expect(long.message.length).toBeLessThan(350);
  });
});

describe("extractErrorDetails", () => {
  it("reads the OpenAI, Anthropic, Gemini and plain shapes", () => {
    expect(extractErrorDetails(openaiBody("m1", "t1"))).toEqual({ message: "m1", type: "t1" });
    expect(
      extractErrorDetails('[{"error":{"code":400,"message":"m2","status":"INVALID_ARGUMENT"}}]'),
    ).toEqual({ message: "m2", type: "INVALID_ARGUMENT" });
    expect(extractErrorDetails('{"error":"model not found"}')).toEqual({
      message: "model not found",
    });
    expect(extractErrorDetails('{"message":"m3"}')).toEqual({ message: "m3" });
  });

  it("returns nothing for text, broken JSON or non-objects", () => {
    expect(extractErrorDetails("Bad Gateway")).toEqual({});
    expect(extractErrorDetails("{oops")).toEqual({});
    expect(extractErrorDetails("[1]")).toEqual({});
  });
});
