import { APICallError } from "@ai-sdk/provider";
import { TimeoutError } from "@llm/core";
import { startMockProvider } from "@llm/testkit";
import { generateText, streamText, wrapLanguageModel } from "ai";
import { describe, expect, it } from "vitest";
import { llmKitMiddleware } from "../src/index.js";
import { aiSdkChatModel, ask, freshCache, openaiMock } from "./helpers.js";

const mock = openaiMock();
const fastRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

describe("llmKitMiddleware resilience", () => {
  it("retries a 500 with llm-kit's retry, telling onRetry", async () => {
    mock.current.enqueue({ status: 500 });
    const retries: number[] = [];
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({
        retry: { ...fastRetry, onRetry: ({ attempt }) => retries.push(attempt) },
      }),
    });
    const result = await generateText({ model, maxRetries: 0, messages: ask("hello") });
    expect(result.text.length).toBeGreaterThan(0);
    expect(retries).toEqual([1]);
    expect(mock.current.requests).toHaveLength(2);
  });

  it("hands the AI SDK its own APICallError when retries run out", async () => {
    mock.current.enqueue({ status: 400 }, { status: 400 });
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({ retry: fastRetry }),
    });
    const failure = await generateText({ model, maxRetries: 0, messages: ask("bad") }).catch(
      (error: unknown) => error,
    );
    expect(APICallError.isInstance(failure)).toBe(true);
    expect((failure as APICallError).statusCode).toBe(400);
    expect(mock.current.requests).toHaveLength(1); // a 400 is not retried
  });

  it("times out a call whose headers never come with a TimeoutError", async () => {
    mock.current.enqueue({ fault: "hang-headers" });
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({ timeout: { totalMs: 200 } }),
    });
    const failure = await generateText({ model, maxRetries: 0, messages: ask("slow") }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TimeoutError);
  });

  it("takes a per-call deadline from providerOptions.llmKit.timeoutMs", async () => {
    mock.current.enqueue({ fault: "hang-headers" });
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware(),
    });
    const failure = await generateText({
      model,
      maxRetries: 0,
      messages: ask("slow"),
      providerOptions: { llmKit: { timeoutMs: 150 } },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TimeoutError);
  });

  it("falls back to the next model when the first keeps failing, generate and stream", async () => {
    const backup = await startMockProvider({ provider: "openai" });
    try {
      mock.current.setFaults({ rate: 1, kinds: ["server-error"], seed: 1 });
      const switched: number[] = [];
      const model = wrapLanguageModel({
        model: aiSdkChatModel(mock.current),
        middleware: llmKitMiddleware({
          retry: { ...fastRetry, maxAttempts: 2 },
          fallbacks: [aiSdkChatModel(backup, "gpt-4.1-mini")],
          fallback: { onFallback: ({ to }) => switched.push(to) },
        }),
      });
      const generated = await generateText({ model, maxRetries: 0, messages: ask("hi") });
      expect(generated.response.modelId).toBe("gpt-4.1-mini");
      const streamed = streamText({ model, maxRetries: 0, messages: ask("hi again") });
      expect((await streamed.text).length).toBeGreaterThan(0);
      expect(switched).toEqual([1, 1]);
      expect(mock.current.requests).toHaveLength(4); // two attempts per call
      expect(backup.requests).toHaveLength(2);
    } finally {
      await backup.close();
    }
  });

  it("retries a stream that fails before any content, invisibly to streamText", async () => {
    mock.current.enqueue({ status: 503 });
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({ retry: fastRetry }),
    });
    const result = streamText({ model, maxRetries: 0, messages: ask("stream please") });
    expect((await result.text).length).toBeGreaterThan(0);
    expect(mock.current.requests).toHaveLength(2);
  });

  it("reports a stream broken mid-way as an error part, and caches nothing of it", async () => {
    mock.current.enqueue({ fault: "error-mid-stream", afterChunks: 2 });
    const cache = freshCache();
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({ cache }),
    });
    const errors: unknown[] = [];
    const result = streamText({
      model,
      maxRetries: 0,
      messages: ask("break"),
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    await result.consumeStream();
    expect(errors).toHaveLength(1);
    expect(cache.stats()).toMatchObject({ stored: 0 });
    await generateText({ model, maxRetries: 0, messages: ask("break") });
    expect(mock.current.requests).toHaveLength(2);
  });

  it("aborts the upstream call when the caller aborts", async () => {
    mock.current.enqueue({ fault: "hang-headers" });
    const model = wrapLanguageModel({
      model: aiSdkChatModel(mock.current),
      middleware: llmKitMiddleware({ cache: freshCache() }),
    });
    const controller = new AbortController();
    const pending = generateText({
      model,
      maxRetries: 0,
      messages: ask("abort me"),
      abortSignal: controller.signal,
    }).catch((error: unknown) => error);
    await waitFor(() => mock.current.requests.length === 1);
    controller.abort();
    const failure = await pending;
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toMatch(/Abort/);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
