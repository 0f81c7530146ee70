import { describe, expect, it } from "vitest";
import type { CacheScope } from "../cache-scope.js";
import type { CallOptions } from "../client.js";
import type {
  EmbeddingClient,
  EmbeddingRequest,
  EmbeddingResponse,
} from "../embeddings/embedding-client.js";
import {
  AbortError,
  CircuitOpenError,
  InvalidRequestError,
  NetworkError,
  ProviderError,
  RateLimitError,
  TimeoutError,
} from "../errors/index.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { withEmbeddingResilience } from "./resilient-embeddings.js";
import type { RetryInfo } from "./retry-plan.js";

const request: EmbeddingRequest = { inputs: ["a", "b"] };
const scope: CacheScope = { instance: "fake:test", credentialTag: () => "tag" };

/** An embedding client answering from a script: an error to throw, "ok", or "hang" (waits for its signal). */
function scriptedEmbeddings(script: ("ok" | "hang" | Error)[]) {
  const calls: CallOptions[] = [];
  const client: EmbeddingClient = {
    provider: "fake",
    model: "embed-1",
    cacheScope: scope,
    maxInputsPerCall: 8,
    maxParallelCalls: 2,
    async embedBatch(req, options = {}): Promise<EmbeddingResponse> {
      calls.push(options);
      const step = script[calls.length - 1] ?? "ok";
      if (step instanceof Error) throw step;
      if (step === "hang") {
        return new Promise((_, reject) => {
          options.signal?.addEventListener("abort", () => reject(options.signal?.reason), {
            once: true,
          });
        });
      }
      return {
        provider: "fake",
        model: "embed-1",
        embeddings: req.inputs.map((_, i) => new Float32Array([i, calls.length])),
        usage: { inputTokens: req.inputs.length },
      };
    },
  };
  return { client, calls };
}

const noSleep = { random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe("withEmbeddingResilience", () => {
  it("keeps the inner client's identity and batch limits", () => {
    const { client } = scriptedEmbeddings([]);
    const wrapped = withEmbeddingResilience(client, { retry: {} });
    expect(wrapped).toMatchObject({
      provider: "fake",
      model: "embed-1",
      cacheScope: scope,
      maxInputsPerCall: 8,
      maxParallelCalls: 2,
    });
  });

  it("leaves out the optional fields the inner client does not have", () => {
    const bare: EmbeddingClient = {
      provider: "bare",
      maxInputsPerCall: 1,
      embedBatch: () => Promise.reject(new Error("unused")),
    };
    const wrapped = withEmbeddingResilience(bare, {});
    expect(Object.keys(wrapped).sort()).toEqual(["embedBatch", "maxInputsPerCall", "provider"]);
  });

  it("retries retryable failures with jittered backoff and returns the later answer", async () => {
    const { client, calls } = scriptedEmbeddings([
      new NetworkError("socket hang up"),
      new ProviderError("overloaded", { status: 503 }),
      "ok",
    ]);
    const sleeps: number[] = [];
    const retries: RetryInfo[] = [];
    const wrapped = withEmbeddingResilience(client, {
      retry: {
        ...noSleep,
        maxAttempts: 3,
        sleep: async (ms) => void sleeps.push(ms),
        onRetry: (info) => retries.push(info),
      },
    });
    const answer = await wrapped.embedBatch(request);
    expect(calls).toHaveLength(3);
    expect(answer.embeddings.map((v) => [...v])).toEqual([
      [0, 3],
      [1, 3],
    ]);
    // random 0.5 × 100 · 2^(n-1)
    expect(sleeps).toEqual([50, 100]);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
  });

  it("waits at least the provider's retry-after hint", async () => {
    const { client } = scriptedEmbeddings([new RateLimitError("slow down", { retryAfterMs: 700 })]);
    const sleeps: number[] = [];
    const wrapped = withEmbeddingResilience(client, {
      retry: { ...noSleep, sleep: async (ms) => void sleeps.push(ms) },
    });
    await wrapped.embedBatch(request);
    expect(sleeps).toEqual([700]);
  });

  it("does not retry a request the provider rejected, and gives up after maxAttempts", async () => {
    const invalid = new InvalidRequestError("input too long");
    const once = scriptedEmbeddings([invalid]);
    const sleepsA: number[] = [];
    await expect(
      withEmbeddingResilience(once.client, {
        retry: { ...noSleep, sleep: async (ms) => void sleepsA.push(ms) },
      }).embedBatch(request),
    ).rejects.toBe(invalid);
    expect(once.calls).toHaveLength(1);

    const last = new NetworkError("third");
    const failing = scriptedEmbeddings([new NetworkError("1"), new NetworkError("2"), last]);
    await expect(
      withEmbeddingResilience(failing.client, {
        retry: { ...noSleep, maxAttempts: 3, sleep: async () => undefined },
      }).embedBatch(request),
    ).rejects.toBe(last);
    expect(failing.calls).toHaveLength(3);
  });

  it("ends each attempt at its deadline with a TimeoutError and aborts the upstream call", async () => {
    const { client, calls } = scriptedEmbeddings(["hang", "ok"]);
    const timedOut = withEmbeddingResilience(client, { timeoutMs: 20 });
    const error = await timedOut.embedBatch(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe("total");
    expect(calls[0]?.signal?.aborted).toBe(true);
    expect(calls[0]?.timeoutMs).toBe(20);

    // With retries, the next attempt gets a fresh deadline and answers.
    const retried = scriptedEmbeddings(["hang", "ok"]);
    const answer = await withEmbeddingResilience(retried.client, {
      timeoutMs: 20,
      retry: { ...noSleep, sleep: async () => undefined },
    }).embedBatch(request);
    expect(answer.embeddings).toHaveLength(2);
    expect(retried.calls).toHaveLength(2);
  });

  it("lets a per-call timeoutMs win over the default", async () => {
    const { client, calls } = scriptedEmbeddings(["hang"]);
    const wrapped = withEmbeddingResilience(client, { timeoutMs: 60_000 });
    await expect(wrapped.embedBatch(request, { timeoutMs: 10 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect(calls[0]?.timeoutMs).toBe(10);
  });

  it("stops at once when the caller aborts, without retrying", async () => {
    const { client, calls } = scriptedEmbeddings(["hang"]);
    const controller = new AbortController();
    const wrapped = withEmbeddingResilience(client, {
      timeoutMs: 60_000,
      retry: { ...noSleep, sleep: async () => undefined },
    });
    const pending = wrapped.embedBatch(request, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(calls).toHaveLength(1);
  });

  it("opens its breaker after repeated failures and refuses without calling upstream", async () => {
    const failures = Array.from({ length: 3 }, () => new ProviderError("down", { status: 502 }));
    const { client, calls } = scriptedEmbeddings(failures);
    const breaker = new CircuitBreaker({
      name: "search:embeddings",
      failureThreshold: 3,
      resetTimeoutMs: 60_000,
    });
    const wrapped = withEmbeddingResilience(client, { breaker });
    for (let i = 0; i < 3; i++) {
      await expect(wrapped.embedBatch(request)).rejects.toBeInstanceOf(ProviderError);
    }
    expect(breaker.state).toBe("open");
    await expect(wrapped.embedBatch(request)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(calls).toHaveLength(3);
  });
});
