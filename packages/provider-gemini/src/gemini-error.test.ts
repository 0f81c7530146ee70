import {
  AuthenticationError,
  ContextLengthError,
  collectStream,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
} from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mapGeminiError, retryDelayOf } from "./gemini-error.js";
import { createGemini } from "./gemini-provider.js";

const KEY = "AIzaSyTestKeyThatMustNeverLeak0000000";

let mock: MockProvider;
let gemini: ReturnType<typeof createGemini>;
const hello = { messages: [{ role: "user" as const, content: "Hello" }] };

beforeAll(async () => {
  mock = await startMockProvider({ provider: "gemini" });
  gemini = createGemini({ baseURL: mock.baseURL, apiKey: KEY, model: "gemini-2.5-flash" });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

describe("Gemini error mapping over HTTP", () => {
  it("maps a 429 to RateLimitError with the RetryInfo delay from the body", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 20 });
    const error = await failure(gemini.generate(hello));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 20_000, retryable: true });
    expect((error as Error).message).toContain("RESOURCE_EXHAUSTED");
  });

  it("maps a 400 INVALID_ARGUMENT to a non-retryable InvalidRequestError", async () => {
    mock.enqueue({ status: 400 });
    const error = await failure(gemini.generate(hello));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect((error as Error).message).toBe(
      "gemini returned HTTP 400 INVALID_ARGUMENT: Request contains an invalid argument.",
    );
  });

  it("maps a 403 PERMISSION_DENIED to AuthenticationError", async () => {
    mock.enqueue({ status: 403 });
    const error = await failure(gemini.generate(hello));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 403, retryable: false });
  });

  it("maps a rejected key (400 API_KEY_INVALID) to AuthenticationError without the key", async () => {
    const guarded = await startMockProvider({ provider: "gemini", apiKey: "the-right-key" });
    try {
      const client = createGemini({ baseURL: guarded.baseURL, apiKey: KEY, model: "m" });
      const error = await failure(client.generate(hello));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as Error).message).toContain("GEMINI_API_KEY");
      expect(JSON.stringify(error)).not.toContain(KEY);
      expect(String((error as Error).stack)).not.toContain(KEY);
    } finally {
      await guarded.close();
    }
  });

  it("maps a 503 UNAVAILABLE to a retryable ProviderError", async () => {
    mock.enqueue({ status: 503 });
    const error = await failure(gemini.generate(hello));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect((error as ProviderError).bodyExcerpt).toContain("UNAVAILABLE");
  });

  it("maps a 404 NOT_FOUND model to InvalidRequestError", async () => {
    mock.enqueue({ status: 404 });
    await expect(gemini.generate(hello)).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it("maps a too-long prompt to ContextLengthError", async () => {
    const message =
      "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).";
    mock.enqueue({
      status: 400,
      body: { error: { code: 400, message, status: "INVALID_ARGUMENT" } },
    });
    const error = await failure(gemini.generate(hello));
    expect(error).toBeInstanceOf(ContextLengthError);
    expect((error as Error).message).toContain("1048576");
  });

  it("throws the mapped error for a 200 answer that carries only an error object", async () => {
    mock.enqueue({
      status: 200,
      body: { error: { code: 503, message: "overloaded", status: "UNAVAILABLE" } },
    });
    const error = await failure(gemini.generate(hello));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 503, retryable: true });
  });

  it("throws the mapped error for an error object in the middle of a stream", async () => {
    mock.enqueue({ fault: "error-mid-stream", afterChunks: 1 });
    const error = await failure(
      collectStream(gemini.stream({ messages: [{ role: "user", content: "a b c d" }] })),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect((error as Error).message).toContain("INTERNAL");
  });
});

describe("mapGeminiError", () => {
  const info = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    provider: "gemini",
    status,
    headers,
    bodyText: typeof body === "string" ? body : JSON.stringify(body),
  });

  it("prefers the body's RetryInfo over a retry-after header", () => {
    const body = {
      error: {
        code: 429,
        message: "quota",
        status: "RESOURCE_EXHAUSTED",
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "2s" }],
      },
    };
    expect(mapGeminiError(info(429, body, { "retry-after": "60" }))).toMatchObject({
      retryAfterMs: 2000,
    });
  });

  it("falls back to the retry-after header without RetryInfo", () => {
    expect(
      mapGeminiError(info(429, { error: { code: 429, message: "q" } }, { "retry-after": "3" })),
    ).toMatchObject({
      retryAfterMs: 3000,
    });
  });

  it("reads an error wrapped in an array, as the streaming endpoint sends it", () => {
    const error = mapGeminiError(
      info(400, [{ error: { code: 400, message: "bad field", status: "INVALID_ARGUMENT" } }]),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain("bad field");
  });

  it("keeps a non-JSON body as the message detail", () => {
    const error = mapGeminiError(info(502, "<html>Bad Gateway</html>"));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toContain("Bad Gateway");
  });
});

describe("retryDelayOf", () => {
  const body = (retryDelay: unknown) => ({
    error: { details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay }] },
  });

  it("reads whole and fractional seconds", () => {
    expect(retryDelayOf(body("20s") as never)).toBe(20_000);
    expect(retryDelayOf(body("0.25s") as never)).toBe(250);
  });

  it("ignores a malformed delay or a missing detail", () => {
    expect(retryDelayOf(body("soon") as never)).toBeUndefined();
    expect(retryDelayOf(body(5) as never)).toBeUndefined();
    expect(retryDelayOf({ error: {} })).toBeUndefined();
  });
});
