import {
  AuthenticationError,
  abortableSleep,
  type ChatRequest,
  CircuitBreaker,
  CircuitOpenError,
  circuitBreakerMiddleware,
  compose,
  fallbackClient,
  NetworkError,
  ParseError,
  ProviderError,
  RateLimitError,
  retryMiddleware,
  type StreamEvent,
  TimeoutError,
  timeoutMiddleware,
} from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** The real OpenAI provider against the testkit server: core's resilience over a real socket. */
function openAIClient(options: { baseURL: string; model?: string }) {
  return createOpenAI({ apiKey: "sk-test-0000000000000000", model: "gpt-4o-mini", ...options });
}

/** Reads a whole stream. */
async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

// Every test talks over a real socket to a testkit server speaking OpenAI's wire format.
const request: ChatRequest = { messages: [{ role: "user", content: "Say hello" }] };
let server: MockProvider;
let backup: MockProvider | undefined;

beforeEach(async () => {
  server = await startMockProvider({ provider: "openai" });
});

afterEach(async () => {
  await server.close();
  await backup?.close();
  backup = undefined;
});

/** Short real waits, recorded so tests can assert on the computed delays (never on elapsed time). */
function fastRetry(overrides: Parameters<typeof retryMiddleware>[0] = {}) {
  const delays: number[] = [];
  const middleware = retryMiddleware({
    maxAttempts: 3,
    baseDelayMs: 5,
    maxDelayMs: 500,
    sleep: (ms, signal) => {
      delays.push(ms);
      return abortableSleep(ms, signal);
    },
    ...overrides,
  });
  return { middleware, delays };
}

const textOf = (events: StreamEvent[]) =>
  events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");

describe("retry against testkit faults", () => {
  it("stops at maxAttempts and rethrows the provider's 500", async () => {
    server.enqueue({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const { middleware } = fastRetry();
    const client = compose(openAIClient({ baseURL: server.baseURL }), middleware);
    const error = await client.generate(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).status).toBe(500);
    expect((error as ProviderError).requestId).toMatch(/^req_/);
    expect(server.requests).toHaveLength(3);
  });

  it("retries a 429 after its retry-after-ms hint and then succeeds", async () => {
    server.enqueue({ status: 429, retryAfterMs: 120 });
    const { middleware, delays } = fastRetry();
    const response = await compose(openAIClient({ baseURL: server.baseURL }), middleware).generate(
      request,
    );
    expect(response.text.length).toBeGreaterThan(0);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(120);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up at once when retry-after exceeds maxDelayMs", async () => {
    server.enqueue({ status: 429, retryAfterSeconds: 30 });
    const { middleware, delays } = fastRetry();
    const error = await compose(openAIClient({ baseURL: server.baseURL }), middleware)
      .generate(request)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(30_000);
    expect(delays).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a connection reset before any content of a stream", async () => {
    server.enqueue({ fault: "reset", afterChunks: 0 });
    const { middleware } = fastRetry();
    const events = await collect(
      compose(openAIClient({ baseURL: server.baseURL }), middleware).stream(request),
    );
    expect(events.filter((e) => e.type === "start")).toHaveLength(1);
    expect(events.at(-1)?.type).toBe("finish");
    expect(textOf(events).length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry a stream that broke after content", async () => {
    server.enqueue({ fault: "error-mid-stream", afterChunks: 3 });
    const { middleware } = fastRetry();
    const seen: StreamEvent[] = [];
    const run = (async () => {
      for await (const e of compose(openAIClient({ baseURL: server.baseURL }), middleware).stream(
        request,
      )) {
        seen.push(e);
      }
    })();
    await expect(run).rejects.toBeInstanceOf(ProviderError);
    expect(textOf(seen).length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry malformed JSON or a rejected key", async () => {
    server.enqueue({ fault: "malformed-json", afterChunks: 1 }, { status: 401 });
    const { middleware } = fastRetry();
    const client = compose(openAIClient({ baseURL: server.baseURL }), middleware);
    await expect(collect(client.stream(request))).rejects.toBeInstanceOf(ParseError);
    await expect(client.generate(request)).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.requests).toHaveLength(2);
  });
});

describe("timeouts against testkit faults", () => {
  it("times out headers that never come, then the retry gets an answer", async () => {
    server.enqueue({ fault: "hang-headers" });
    const { middleware } = fastRetry();
    const client = compose(
      openAIClient({ baseURL: server.baseURL }),
      middleware,
      timeoutMiddleware({ totalMs: 5_000, firstTokenMs: 100 }),
    );
    const events = await collect(client.stream(request));
    expect(events.at(-1)?.type).toBe("finish");
    expect(server.requests).toHaveLength(2);
  });

  it("reports the total deadline of a generate call whose headers never come", async () => {
    server.enqueue({ fault: "hang-headers" });
    const client = compose(
      openAIClient({ baseURL: server.baseURL }),
      timeoutMiddleware({ totalMs: 100 }),
    );
    const error = await client.generate(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe("total");
  });

  it("reports an idle stream when chunks stop coming", async () => {
    server.setLatency({ chunkMs: 400 });
    const client = compose(
      openAIClient({ baseURL: server.baseURL }),
      timeoutMiddleware({ idleMs: 100 }),
    );
    const error = await collect(client.stream(request)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe("idle");
  });
});

describe("circuit breaker against testkit faults", () => {
  it("opens after repeated 503s, fails fast, and closes after a successful probe", async () => {
    let now = 0;
    const breaker = new CircuitBreaker({
      name: "openai-primary",
      failureThreshold: 2,
      resetTimeoutMs: 1_000,
      now: () => now,
    });
    server.enqueue({ status: 503 }, { status: 503 });
    const client = compose(
      openAIClient({ baseURL: server.baseURL }),
      circuitBreakerMiddleware(breaker),
    );
    await expect(client.generate(request)).rejects.toBeInstanceOf(ProviderError);
    await expect(client.generate(request)).rejects.toBeInstanceOf(ProviderError);
    expect(breaker.state).toBe("open");

    const refused = await client.generate(request).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect((refused as CircuitOpenError).retryAfterMs).toBe(1_000);
    expect(server.requests).toHaveLength(2);

    now += 1_000;
    expect(breaker.state).toBe("half-open");
    const response = await client.generate(request);
    expect(response.text.length).toBeGreaterThan(0);
    expect(breaker.state).toBe("closed");
    expect(server.requests).toHaveLength(3);
  });

  it("reopens when the probe hits another fault", async () => {
    let now = 0;
    const breaker = new CircuitBreaker({
      name: "p",
      failureThreshold: 1,
      resetTimeoutMs: 500,
      now: () => now,
    });
    server.enqueue({ fault: "reset", afterChunks: 0 }, { fault: "reset", afterChunks: 0 });
    const client = compose(
      openAIClient({ baseURL: server.baseURL }),
      circuitBreakerMiddleware(breaker),
    );
    await expect(collect(client.stream(request))).rejects.toBeInstanceOf(NetworkError);
    now += 500;
    await expect(collect(client.stream(request))).rejects.toBeInstanceOf(NetworkError);
    expect(breaker.state).toBe("open");
  });
});

describe("fallback against testkit faults", () => {
  it("takes over with the second server when the first keeps failing", async () => {
    backup = await startMockProvider({ provider: "openai" });
    server.setFaults({ rate: 1, kinds: ["server-error"] });
    const fallbacks: number[] = [];
    const client = fallbackClient(
      [
        openAIClient({ baseURL: server.baseURL, model: "gpt-4o" }),
        openAIClient({ baseURL: backup.baseURL, model: "gpt-4o-mini" }),
      ],
      { onFallback: (info) => fallbacks.push(info.to) },
    );
    const response = await client.generate(request);
    expect(response.text.length).toBeGreaterThan(0);
    expect(backup.requests[0]?.model).toBe("gpt-4o-mini");
    const events = await collect(client.stream(request));
    expect(events.at(-1)?.type).toBe("finish");
    expect(fallbacks).toEqual([1, 1]);
    expect(server.requests).toHaveLength(2);
    expect(backup.requests).toHaveLength(2);
  });

  it("falls back when the primary's breaker is open, without calling the primary", async () => {
    backup = await startMockProvider({ provider: "openai" });
    const breaker = new CircuitBreaker({
      name: "primary",
      failureThreshold: 1,
      resetTimeoutMs: 60_000,
    });
    server.enqueue({ status: 502 });
    const primary = compose(
      openAIClient({ baseURL: server.baseURL }),
      circuitBreakerMiddleware(breaker),
    );
    const client = fallbackClient([primary, openAIClient({ baseURL: backup.baseURL })]);
    await client.generate(request);
    await client.generate(request);
    expect(breaker.state).toBe("open");
    expect(server.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(2);
  });
});
