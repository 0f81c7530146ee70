import {
  AuthenticationError,
  ContextLengthError,
  InvalidRequestError,
  type LLMError,
  NetworkError,
  ParseError,
  ProviderError,
  RateLimitError,
  type StreamEvent,
} from "@llm/core";
import { collectEvents } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import { createMistral, mistralErrorFromResponse } from "./index.js";
import { mistralStreamError } from "./mistral-error.js";

const API_KEY = "mistral-secret-key-0123456789";
const mock = useMockProvider({ provider: "mistral", apiKey: API_KEY });

const client = (apiKey = API_KEY) =>
  createMistral({ baseURL: mock.baseURL, apiKey, model: "mistral-small-latest" });
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
  it("maps the gateway's 401 for a wrong key to AuthenticationError with its request id", async () => {
    const error = await failure(client("wrong-key-0123456789").generate(hi));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, provider: "mistral", retryable: false });
    expect(error.message).toMatch(
      /^mistral returned HTTP 401: Unauthorized \(request id [0-9a-f]{32}\)$/,
    );
  });

  it("maps a 429 rate_limited body to a retryable RateLimitError with retry-after", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 3 });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 3000 });
    expect(error.message).toContain("rate_limited: Rate limit exceeded");
  });

  it("maps the gateway's bare 429 message too", async () => {
    mock.enqueue({ status: 429, body: { message: "Requests rate limit exceeded" } });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toContain("Requests rate limit exceeded");
  });

  it("maps 503 service_tier_capacity_exceeded to a retryable ProviderError", async () => {
    mock.enqueue({ status: 503 });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect(error.message).toContain("service_tier_capacity_exceeded");
  });

  it("maps Mistral's context-length 400 to ContextLengthError", async () => {
    mock.enqueue({
      status: 400,
      body: {
        object: "error",
        message:
          "Prompt contains 40012 tokens and 0 draft tokens, too large for model with 32768 maximum context length",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(ContextLengthError);
    expect(error.message).toContain("32768 maximum context length");
  });

  it("names the fields of a 422 validation error", async () => {
    mock.enqueue({
      status: 422,
      body: {
        object: "error",
        message: {
          detail: [
            {
              type: "extra_forbidden",
              loc: ["body", "seed"],
              msg: "Extra inputs are not permitted",
            },
            { type: "missing", loc: ["body", "messages"], msg: "Field required" },
          ],
        },
        type: "invalid_request_message_error",
        param: null,
        code: null,
      },
    });
    const error = await failure(client().generate(hi));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain(
      "invalid_request_message_error: body.seed: Extra inputs are not permitted; body.messages: Field required",
    );
  });

  it("answers an unknown top-level field with a 400 naming it (the mock, like the API, is strict)", async () => {
    const error = await failure(
      client().generate({ ...hi, providerOptions: { mistral: { seed: 1 } } }),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain("body.seed: Extra inputs are not permitted");
  });

  it("falls back to core's mapping for a body that is not JSON", () => {
    const error = mistralErrorFromResponse(502, {}, "<html>Bad gateway</html>");
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 502, retryable: true, provider: "mistral" });
  });

  it("reads a top-level detail string and lists at most three validation problems", () => {
    expect(mistralErrorFromResponse(404, {}, '{"detail":"Not Found"}').message).toBe(
      "mistral returned HTTP 404: Not Found",
    );
    const detail = Array.from({ length: 5 }, (_, i) => ({ loc: ["body", `f${i}`], msg: "bad" }));
    expect(mistralErrorFromResponse(422, {}, JSON.stringify({ detail })).message).toBe(
      "mistral returned HTTP 422: body.f0: bad; body.f1: bad; body.f2: bad; and 2 more",
    );
    expect(mistralErrorFromResponse(422, {}, '{"detail":[1,{"msg":"odd"}]}').message).toBe(
      "mistral returned HTTP 422: odd",
    );
    expect(mistralErrorFromResponse(400, {}, '{"message":{"other":1}}').message).toBe(
      'mistral returned HTTP 400: {"message":{"other":1}}',
    );
    expect(mistralErrorFromResponse(400, {}, "[1]")).toBeInstanceOf(InvalidRequestError);
    expect(mistralErrorFromResponse(400, {}, "{not json")).toBeInstanceOf(InvalidRequestError);
  });
});

describe("stream errors", () => {
  it("throws the in-stream error object as a retryable ProviderError after the text before it", async () => {
    mock.enqueue({ text: "Hello there friend", fault: "error-mid-stream", afterChunks: 2 });
    const seen: StreamEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of client().stream(hi)) seen.push(event);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderError);
    expect(caught).toMatchObject({ status: 500, retryable: true, provider: "mistral" });
    expect((caught as Error).message).toContain("internal_server_error: Internal server error");
    expect(seen[0]?.type).toBe("start");
  });

  it("infers a status for in-stream errors from their type", () => {
    expect(mistralStreamError({ type: "rate_limited", message: "slow down" }, {})).toBeInstanceOf(
      RateLimitError,
    );
    expect(
      mistralStreamError({ type: "invalid_request_error", message: "bad" }, {}),
    ).toBeInstanceOf(InvalidRequestError);
    expect(mistralStreamError({ message: "boom" }, {})).toBeInstanceOf(ProviderError);
  });

  it("names the stream event that is not JSON", async () => {
    mock.enqueue({ text: "Hello there", fault: "malformed-json", afterChunks: 1 });
    const error = await failure(collectEvents(client().stream(hi)));
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ where: "stream event 2" });
  });

  it("rejects a stream that ends before a finish_reason or [DONE]", async () => {
    mock.enqueue({ text: "Hello there friend", fault: "reset", afterChunks: 2 });
    const error = await failure(collectEvents(client().stream(hi)));
    expect(error).toBeInstanceOf(NetworkError);
  });
});
