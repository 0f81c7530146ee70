import { describe, expect, it } from "vitest";
import { compose } from "../compose.js";
import {
  AbortError,
  CircuitOpenError,
  InvalidRequestError,
  NetworkError,
  ProviderError,
} from "../errors/index.js";
import type { ChatRequest } from "../request.js";
import { collect } from "../test-support/bytes.js";
import { scriptedClient, textStream } from "../test-support/scripted-client.js";
import { CircuitBreaker, type CircuitState, circuitBreakerMiddleware } from "./circuit-breaker.js";

const request: ChatRequest = { messages: [{ role: "user", content: "hi" }] };
const down = () => new ProviderError("down", { status: 503 });

function setup(overrides: Partial<ConstructorParameters<typeof CircuitBreaker>[0]> = {}) {
  let now = 1_000;
  const changes: Array<[CircuitState, CircuitState]> = [];
  const breaker = new CircuitBreaker({
    name: "primary",
    failureThreshold: 3,
    resetTimeoutMs: 10_000,
    now: () => now,
    onStateChange: ({ from, to }) => changes.push([from, to]),
    ...overrides,
  });
  return { breaker, changes, advance: (ms: number) => (now += ms) };
}

async function fail(breaker: CircuitBreaker, error: unknown = down()) {
  await breaker.execute(() => Promise.reject(error)).catch(() => undefined);
}

describe("CircuitBreaker", () => {
  it("opens after failureThreshold consecutive failures and refuses calls with retryAfterMs", async () => {
    const { breaker, changes, advance } = setup();
    for (let i = 0; i < 3; i++) await fail(breaker);
    expect(breaker.state).toBe("open");
    advance(4_000);
    const error = await breaker.execute(async () => "never").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).retryAfterMs).toBe(6_000);
    expect((error as CircuitOpenError).message).toBe(
      'Circuit "primary" is open; next probe in 6000 ms',
    );
    expect(changes).toEqual([["closed", "open"]]);
    expect(breaker.stats()).toMatchObject({ state: "open", rejected: 1, openedAt: 1_000 });
  });

  it("counts consecutive failures only: a success in between resets the count", async () => {
    const { breaker } = setup();
    await fail(breaker);
    await fail(breaker);
    await breaker.execute(async () => "ok");
    await fail(breaker);
    await fail(breaker);
    expect(breaker.state).toBe("closed");
    expect(breaker.stats().failures).toBe(2);
  });

  it("counts failures within windowMs when a window is set", async () => {
    const { breaker, advance } = setup({ windowMs: 1_000 });
    await fail(breaker);
    await breaker.execute(async () => "ok");
    await fail(breaker);
    advance(1_500);
    expect(breaker.stats().failures).toBe(0);
    await fail(breaker);
    await fail(breaker);
    await fail(breaker);
    expect(breaker.state).toBe("open");
  });

  it("ignores errors that are not the provider's fault", async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    await fail(breaker, new InvalidRequestError("bad request"));
    await fail(breaker, new AbortError());
    await fail(breaker, new TypeError("bug"));
    expect(breaker.state).toBe("closed");
  });

  it("goes half-open after resetTimeoutMs and closes when the probe succeeds", async () => {
    const { breaker, changes, advance } = setup({ failureThreshold: 1 });
    await fail(breaker);
    advance(10_000);
    expect(breaker.state).toBe("half-open");
    expect(await breaker.execute(async () => "probe")).toBe("probe");
    expect(breaker.state).toBe("closed");
    expect(changes).toEqual([
      ["closed", "open"],
      ["open", "half-open"],
      ["half-open", "closed"],
    ]);
  });

  it("reopens when the probe fails", async () => {
    const { breaker, advance } = setup({ failureThreshold: 1 });
    await fail(breaker);
    advance(10_000);
    await fail(breaker);
    expect(breaker.state).toBe("open");
    expect(breaker.stats().openedAt).toBe(11_000);
  });

  it("lets only halfOpenMaxCalls probes through at once", async () => {
    const { breaker, advance } = setup({ failureThreshold: 1, halfOpenMaxCalls: 1 });
    await fail(breaker);
    advance(10_000);
    const probe = breaker.acquire();
    expect(() => breaker.acquire()).toThrow(CircuitOpenError);
    probe.release();
    expect(breaker.state).toBe("half-open");
    breaker.acquire().success();
    expect(breaker.state).toBe("closed");
  });

  it("treats a probe answered with a 400 as proof the provider is up", async () => {
    const { breaker, advance } = setup({ failureThreshold: 1 });
    await fail(breaker);
    advance(10_000);
    await fail(breaker, new InvalidRequestError("bad"));
    expect(breaker.state).toBe("closed");
  });

  it("can be reset by hand", async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    await fail(breaker);
    breaker.reset();
    expect(breaker.state).toBe("closed");
  });

  it("rejects a threshold below 1", () => {
    expect(() => new CircuitBreaker({ name: "x", failureThreshold: 0, resetTimeoutMs: 1 })).toThrow(
      RangeError,
    );
  });
});

describe("circuitBreakerMiddleware", () => {
  it("fails fast without calling the client while open", async () => {
    const inner = scriptedClient([{ error: down() }, { error: down() }, { text: "never" }]);
    const middleware = circuitBreakerMiddleware({
      name: "p",
      failureThreshold: 2,
      resetTimeoutMs: 60_000,
    });
    const client = compose(inner, middleware);
    await expect(client.generate(request)).rejects.toBeInstanceOf(ProviderError);
    await expect(client.generate(request)).rejects.toBeInstanceOf(ProviderError);
    await expect(client.generate(request)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(inner.calls).toHaveLength(2);
    expect(middleware.breaker.state).toBe("open");
  });

  it("counts a failed stream and a completed one", async () => {
    const { breaker } = setup({ failureThreshold: 2 });
    const inner = scriptedClient([{ error: new NetworkError("reset") }, { text: "ok" }]);
    const client = compose(inner, circuitBreakerMiddleware(breaker));
    await expect(collect(client.stream(request))).rejects.toBeInstanceOf(NetworkError);
    expect(breaker.stats().failures).toBe(1);
    expect(await collect(client.stream(request))).toEqual(textStream("ok"));
    expect(breaker.stats()).toMatchObject({ failures: 0, successes: 1 });
  });

  it("counts a stream the consumer stopped after an event as a success", async () => {
    const { breaker, advance } = setup({ failureThreshold: 1 });
    await fail(breaker);
    advance(10_000);
    const client = compose(scriptedClient([{ text: "ok" }]), circuitBreakerMiddleware(breaker));
    for await (const _ of client.stream(request)) break;
    expect(breaker.state).toBe("closed");
  });

  it("refuses a stream while open", async () => {
    const { breaker } = setup({ failureThreshold: 1 });
    await fail(breaker);
    const client = compose(scriptedClient([{ text: "never" }]), circuitBreakerMiddleware(breaker));
    await expect(collect(client.stream(request))).rejects.toBeInstanceOf(CircuitOpenError);
  });
});
