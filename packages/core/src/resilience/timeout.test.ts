import { afterEach, describe, expect, it, vi } from "vitest";
import type { CallOptions, LLMClient } from "../client.js";
import { compose } from "../compose.js";
import { AbortError, TimeoutError } from "../errors/index.js";
import type { ChatRequest } from "../request.js";
import { collect } from "../test-support/bytes.js";
import { scriptedClient, textStream } from "../test-support/scripted-client.js";
import { timeoutMiddleware } from "./timeout.js";

const request: ChatRequest = { messages: [{ role: "user", content: "hi" }] };

afterEach(() => {
  vi.useRealTimers();
});

async function timeoutOf(promise: Promise<unknown>): Promise<TimeoutError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TimeoutError);
  return error as TimeoutError;
}

/** A client whose stream yields `events` one by one with the given delays, honouring its signal. */
function pacedClient(delays: number[]): LLMClient & { signals: Array<AbortSignal | undefined> } {
  const signals: Array<AbortSignal | undefined> = [];
  return {
    provider: "paced",
    signals,
    generate: () => Promise.reject(new Error("unused")),
    async *stream(_request, options?: CallOptions) {
      signals.push(options?.signal);
      for (const [i, ms] of delays.entries()) {
        await new Promise((resolve) => setTimeout(resolve, ms));
        yield { type: "text-delta", delta: String(i) };
      }
    },
  };
}

describe("timeoutMiddleware: generate", () => {
  it("throws TimeoutError total and aborts the inner call's signal", async () => {
    const inner = scriptedClient([{ hang: true }]);
    const error = await timeoutOf(
      compose(inner, timeoutMiddleware({ totalMs: 30 })).generate(request),
    );
    expect(error.phase).toBe("total");
    expect(error.timeoutMs).toBe(30);
    const signal = inner.calls[0]?.options?.signal;
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
  });

  it("lets the per-call timeoutMs win over the default", async () => {
    const inner = scriptedClient([{ hang: true }]);
    const client = compose(inner, timeoutMiddleware({ totalMs: 60_000 }));
    const error = await timeoutOf(client.generate(request, { timeoutMs: 20 }));
    expect(error.timeoutMs).toBe(20);
  });

  it("passes only the total deadline down to a generate call", async () => {
    const inner = scriptedClient([{ text: "fast" }]);
    const client = compose(
      inner,
      timeoutMiddleware({ totalMs: 5000, firstTokenMs: 1000, idleMs: 500 }),
    );
    expect((await client.generate(request, { idleTimeoutMs: 250 })).text).toBe("fast");
    expect(inner.calls[0]?.options).toMatchObject({ timeoutMs: 5000, idleTimeoutMs: 250 });
    expect(inner.calls[0]?.options?.firstTokenTimeoutMs).toBeUndefined();
  });

  it("passes the effective stream limits down to a stream call", async () => {
    const inner = scriptedClient([{ text: "fast" }]);
    const client = compose(
      inner,
      timeoutMiddleware({ totalMs: 5000, firstTokenMs: 1000, idleMs: 500 }),
    );
    await collect(client.stream(request, { idleTimeoutMs: 250 }));
    expect(inner.calls[0]?.options).toMatchObject({
      timeoutMs: 5000,
      firstTokenTimeoutMs: 1000,
      idleTimeoutMs: 250,
    });
  });

  it("returns the answer and leaves no timer behind", async () => {
    vi.useFakeTimers();
    const inner = scriptedClient([{ text: "fast" }]);
    const response = await compose(inner, timeoutMiddleware({ totalMs: 5000 })).generate(request);
    expect(response.text).toBe("fast");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("calls straight through when no limit is set", async () => {
    const inner = scriptedClient([{ text: "plain" }]);
    const options = { metadata: { a: 1 } };
    await compose(inner, timeoutMiddleware()).generate(request, options);
    expect(inner.calls[0]?.options).toBe(options);
  });

  it("throws AbortError when the caller aborts first", async () => {
    const controller = new AbortController();
    const inner = scriptedClient([{ hang: true }]);
    const pending = compose(inner, timeoutMiddleware({ totalMs: 60_000 })).generate(request, {
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});

describe("timeoutMiddleware: stream", () => {
  it("throws TimeoutError first-token when the first event is late", async () => {
    const inner = pacedClient([200]);
    const client = compose(inner, timeoutMiddleware({ firstTokenMs: 20, idleMs: 1000 }));
    const error = await timeoutOf(collect(client.stream(request)));
    expect(error.phase).toBe("first-token");
    expect(inner.signals[0]?.aborted).toBe(true);
  });

  it("throws TimeoutError idle when a gap between events is too long", async () => {
    const inner = pacedClient([0, 0, 200]);
    const seen: string[] = [];
    const run = (async () => {
      for await (const e of compose(inner, timeoutMiddleware({ idleMs: 40 })).stream(request)) {
        if (e.type === "text-delta") seen.push(e.delta);
      }
    })();
    const error = await timeoutOf(run);
    expect(error.phase).toBe("idle");
    expect(seen).toEqual(["0", "1"]);
  });

  it("applies the shorter idle limit to the first event too", async () => {
    const error = await timeoutOf(
      collect(
        compose(pacedClient([200]), timeoutMiddleware({ firstTokenMs: 1000, idleMs: 20 })).stream(
          request,
        ),
      ),
    );
    expect(error.phase).toBe("idle");
  });

  it("throws TimeoutError total when the whole stream is too slow", async () => {
    const client = compose(
      pacedClient([15, 15, 15, 15, 15, 15, 15, 15]),
      timeoutMiddleware({ idleMs: 1000 }),
    );
    const error = await timeoutOf(collect(client.stream(request, { timeoutMs: 40 })));
    expect(error.phase).toBe("total");
  });

  it("passes a stream within its limits through and clears its timers", async () => {
    const inner = scriptedClient([{ text: "quick" }]);
    const client = compose(
      inner,
      timeoutMiddleware({ totalMs: 5000, firstTokenMs: 1000, idleMs: 1000 }),
    );
    expect(await collect(client.stream(request))).toEqual(textStream("quick"));
  });

  it("streams straight through when no limit is set", async () => {
    const inner = scriptedClient([{ text: "plain" }]);
    expect(await collect(compose(inner, timeoutMiddleware()).stream(request))).toEqual(
      textStream("plain"),
    );
  });

  it("closes the inner stream when the consumer stops early", async () => {
    let closed = false;
    const inner: LLMClient = {
      provider: "x",
      generate: () => Promise.reject(new Error("unused")),
      async *stream() {
        try {
          yield* textStream("a");
        } finally {
          closed = true;
        }
      },
    };
    for await (const _ of compose(inner, timeoutMiddleware({ idleMs: 1000 })).stream(request))
      break;
    expect(closed).toBe(true);
  });
});
