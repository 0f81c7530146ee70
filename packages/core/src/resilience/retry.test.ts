import { describe, expect, it } from "vitest";
import { compose } from "../compose.js";
import {
  AbortError,
  CircuitOpenError,
  InvalidRequestError,
  NetworkError,
  ProviderError,
  RateLimitError,
} from "../errors/index.js";
import type { ChatRequest } from "../request.js";
import type { StreamEvent } from "../stream-event.js";
import { collect } from "../test-support/bytes.js";
import { scriptedClient, textStream } from "../test-support/scripted-client.js";
import { type RetryInfo, type RetryOptions, retryMiddleware } from "./retry.js";

const request: ChatRequest = { messages: [{ role: "user", content: "hi" }] };
const net = () => new NetworkError("socket hang up");

/** Records waits instead of sleeping. */
function recorder(overrides: RetryOptions = {}) {
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  const middleware = retryMiddleware({
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (info) => retries.push(info),
    ...overrides,
  });
  return { middleware, sleeps, retries };
}

describe("retryMiddleware: generate", () => {
  it("retries a retryable error and returns the later success", async () => {
    const inner = scriptedClient([{ error: net() }, { error: net() }, { text: "third" }]);
    const { middleware, sleeps, retries } = recorder();
    const response = await compose(inner, middleware).generate(request);
    expect(response.text).toBe("third");
    expect(inner.calls).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 50],
      [2, 100],
    ]);
  });

  it("stops at maxAttempts and rethrows the last error", async () => {
    const last = new ProviderError("boom 3", { status: 503 });
    const inner = scriptedClient([{ error: net() }, { error: net() }, { error: last }]);
    const { middleware } = recorder({ maxAttempts: 3 });
    await expect(compose(inner, middleware).generate(request)).rejects.toBe(last);
    expect(inner.calls).toHaveLength(3);
  });

  it("grows the backoff exponentially with full jitter up to maxDelayMs", async () => {
    const inner = scriptedClient([{ error: net() }]);
    const { middleware, sleeps } = recorder({ maxAttempts: 6, random: () => 0.999 });
    await expect(compose(inner, middleware).generate(request)).rejects.toBeInstanceOf(NetworkError);
    expect(sleeps).toEqual([99, 199, 399, 799, 999]);
  });

  it("does not retry a non-retryable error", async () => {
    const inner = scriptedClient([{ error: new InvalidRequestError("bad") }, { text: "never" }]);
    const { middleware } = recorder();
    await expect(compose(inner, middleware).generate(request)).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(inner.calls).toHaveLength(1);
  });

  it("never retries AbortError, even when retryOn says yes", async () => {
    const inner = scriptedClient([{ error: new AbortError() }, { text: "never" }]);
    const { middleware } = recorder({ retryOn: () => true });
    await expect(compose(inner, middleware).generate(request)).rejects.toBeInstanceOf(AbortError);
    expect(inner.calls).toHaveLength(1);
  });

  it("does not retry unknown errors by default", async () => {
    const inner = scriptedClient([{ error: new TypeError("bug") }, { text: "never" }]);
    await expect(compose(inner, recorder().middleware).generate(request)).rejects.toBeInstanceOf(
      TypeError,
    );
    expect(inner.calls).toHaveLength(1);
  });

  it("retries what a custom retryOn accepts", async () => {
    const inner = scriptedClient([
      { error: new InvalidRequestError("flaky validator") },
      { text: "ok" },
    ]);
    const { middleware } = recorder({ retryOn: (error) => error instanceof InvalidRequestError });
    expect((await compose(inner, middleware).generate(request)).text).toBe("ok");
  });

  it("waits at least the provider's retry-after hint", async () => {
    const inner = scriptedClient([
      { error: new RateLimitError("slow", { retryAfterMs: 700 }) },
      { text: "ok" },
    ]);
    const { middleware, sleeps } = recorder();
    await compose(inner, middleware).generate(request);
    expect(sleeps).toEqual([700]);
  });

  it("gives up at once when the hint exceeds maxDelayMs", async () => {
    const limited = new RateLimitError("come back tomorrow", { retryAfterMs: 60_000 });
    const inner = scriptedClient([{ error: limited }, { text: "never" }]);
    const { middleware, sleeps } = recorder();
    await expect(compose(inner, middleware).generate(request)).rejects.toBe(limited);
    expect(sleeps).toEqual([]);
  });

  it("waits out an open circuit when its reset is within the cap", async () => {
    const inner = scriptedClient([{ error: new CircuitOpenError("p", 300) }, { text: "probe ok" }]);
    const { middleware, sleeps } = recorder();
    expect((await compose(inner, middleware).generate(request)).text).toBe("probe ok");
    expect(sleeps).toEqual([300]);
  });

  it("gives up when maxElapsedMs would be exceeded", async () => {
    const inner = scriptedClient([{ error: net() }, { text: "never" }]);
    const { middleware } = recorder({ maxElapsedMs: 10 });
    await expect(compose(inner, middleware).generate(request)).rejects.toBeInstanceOf(NetworkError);
    expect(inner.calls).toHaveLength(1);
  });

  it("does not retry once the caller's signal aborted", async () => {
    const controller = new AbortController();
    const inner = scriptedClient([{ error: net() }, { text: "never" }]);
    controller.abort();
    await expect(
      compose(inner, recorder().middleware).generate(request, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(NetworkError);
    expect(inner.calls).toHaveLength(1);
  });

  it("stops waiting with AbortError when the caller aborts during the backoff", async () => {
    const controller = new AbortController();
    const inner = scriptedClient([{ error: net() }, { text: "never" }]);
    const middleware = retryMiddleware({
      maxAttempts: 3,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      random: () => 1,
      onRetry: () => controller.abort(),
    });
    await expect(
      compose(inner, middleware).generate(request, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(inner.calls).toHaveLength(1);
  });

  it("uses defaults of 3 attempts when given no options", async () => {
    const inner = scriptedClient([
      { error: new ProviderError("x", { status: 500, retryAfterMs: 0 }) },
    ]);
    const middleware = retryMiddleware({ sleep: async () => {} });
    await expect(compose(inner, middleware).generate(request)).rejects.toBeInstanceOf(
      ProviderError,
    );
    expect(inner.calls).toHaveLength(3);
  });
});

describe("retryMiddleware: stream", () => {
  const [start, delta, finish] = textStream("partial") as [StreamEvent, StreamEvent, StreamEvent];

  it("retries a stream that failed before any content, hiding the failed attempt's start", async () => {
    const inner = scriptedClient([{ events: [start], error: net() }, { text: "fresh" }]);
    const events = await collect(compose(inner, recorder().middleware).stream(request));
    expect(events).toEqual(textStream("fresh"));
    expect(inner.calls).toHaveLength(2);
  });

  it("does not retry a stream that already yielded content", async () => {
    const inner = scriptedClient([{ events: [start, delta], error: net() }, { text: "never" }]);
    const seen: StreamEvent[] = [];
    const run = (async () => {
      for await (const e of compose(inner, recorder().middleware).stream(request)) seen.push(e);
    })();
    await expect(run).rejects.toBeInstanceOf(NetworkError);
    expect(seen).toEqual([start, delta]);
    expect(inner.calls).toHaveLength(1);
  });

  it("retries after content when retryStreamsAfterContent is set", async () => {
    const inner = scriptedClient([{ events: [start, delta], error: net() }, { text: "again" }]);
    const events = await collect(
      compose(inner, recorder({ retryStreamsAfterContent: true }).middleware).stream(request),
    );
    expect(events).toEqual([start, delta, ...textStream("again")]);
  });

  it("rethrows a stream's non-retryable error", async () => {
    const inner = scriptedClient([{ error: new InvalidRequestError("bad") }]);
    await expect(
      collect(compose(inner, recorder().middleware).stream(request)),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it("passes a clean stream through untouched", async () => {
    const inner = scriptedClient([{ events: [start, delta, finish] }]);
    expect(await collect(compose(inner, recorder().middleware).stream(request))).toEqual([
      start,
      delta,
      finish,
    ]);
  });
});
