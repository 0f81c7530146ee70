import { AbortError, RateLimitError } from "@llm/core";
import { describe, expect, it, vi } from "vitest";
import { MemoryRateLimitStore } from "./memory-rate-limit-store.js";
import { RateLimit } from "./rate-limit.js";
import { RateLimitBudgetError } from "./rate-limit-errors.js";
import type { RateLimitStore } from "./rate-limit-store.js";

/** A store on a clock the test moves: waits are computed, not slept, except where a test sleeps on purpose. */
function fakeClock() {
  let now = 1_000_000;
  return {
    store: new MemoryRateLimitStore({ now: () => now }),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("RateLimit", () => {
  it("validates its options with errors that name the option", () => {
    expect(() => new RateLimit({ key: "has space" })).toThrow(/key must be 1–200 characters/);
    expect(() => new RateLimit({ key: "a", requestsPerMinute: 0 })).toThrow(
      /requests needs a positive limit/,
    );
    expect(() => new RateLimit({ key: "a", tokens: { limit: 5, periodMs: Number.NaN } })).toThrow(
      /tokens/,
    );
    expect(() => new RateLimit({ key: "a", maxWaitMs: -1 })).toThrow(/maxWaitMs/);
    expect(() => new RateLimit({ key: "a", maxQueue: Number.POSITIVE_INFINITY })).toThrow(
      /maxQueue/,
    );
  });

  it("grants at once within the budget and refuses with a typed, retryable error beyond maxWaitMs", async () => {
    const { store } = fakeClock();
    const limit = new RateLimit({ key: "client:a", requestsPerMinute: 2, store, maxWaitMs: 1_000 });
    expect((await limit.acquire()).waitedMs).toBe(0);
    await limit.acquire();
    const error = await limit.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitBudgetError);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      reason: "wait",
      retryable: true,
      budget: "client:a",
      code: "RATE_LIMIT_BUDGET",
    });
    expect((error as RateLimitBudgetError).retryAfterMs).toBe(30_000);
    expect((error as Error).message).toMatch(/spent for the next 30000 ms/);
  });

  it("waits for its reserved place when it fits maxWaitMs", async () => {
    const limit = new RateLimit({ key: "wait", requests: { limit: 1, periodMs: 40 } });
    await limit.acquire();
    const permit = await limit.acquire();
    expect(permit.waitedMs).toBeGreaterThan(0);
    expect(permit.waitedMs).toBeLessThanOrEqual(40);
    expect(limit.waiting).toBe(0);
  });

  it("refuses a call whose tokens exceed a whole period's budget, as not retryable", async () => {
    const limit = new RateLimit({ key: "t", tokensPerMinute: 1_000 });
    await expect(limit.acquire(1_001)).rejects.toMatchObject({
      reason: "exceeds-capacity",
      retryable: false,
    });
  });

  it("bounds the calls waiting in this process (maxQueue)", async () => {
    const limit = new RateLimit({
      key: "q",
      requests: { limit: 1, periodMs: 60_000 },
      maxQueue: 1,
      maxWaitMs: 120_000,
    });
    await limit.acquire();
    const controller = new AbortController();
    const waiting = limit.acquire(0, { signal: controller.signal });
    await vi.waitFor(() => expect(limit.waiting).toBe(1));
    await expect(limit.acquire()).rejects.toMatchObject({ reason: "queue-full" });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
  });

  it("gives its reserved place back when the caller aborts while waiting", async () => {
    const { store } = fakeClock();
    const limit = new RateLimit({
      key: "abort",
      requests: { limit: 1, periodMs: 60_000 },
      store,
      maxWaitMs: 120_000,
    });
    await limit.acquire();
    const controller = new AbortController();
    const waiting = limit.acquire(0, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    // Only the first call's debt remains: the next place is 60 s away, not 120 s.
    await expect(limit.acquire(0, { maxWaitMs: 0 })).rejects.toMatchObject({
      retryAfterMs: 60_000,
    });
  });

  it("throws at once for an already-aborted signal", async () => {
    const limit = new RateLimit({ key: "aborted", requestsPerMinute: 5 });
    await expect(limit.acquire(0, { signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it("settles tokens against the estimate, both ways", async () => {
    const { store } = fakeClock();
    const limit = new RateLimit({ key: "settle", tokensPerMinute: 1_000, store, maxWaitMs: 0 });
    const permit = await limit.acquire(900);
    await expect(limit.acquire(200)).rejects.toBeInstanceOf(RateLimitBudgetError);
    await permit.settle(300);
    expect(permit.tokens).toBe(300);
    await limit.acquire(700);
    await expect(limit.acquire(1)).rejects.toBeInstanceOf(RateLimitBudgetError);
  });

  it("learns from the provider: remaining headers and retry-after tighten the budget", async () => {
    const { store, advance } = fakeClock();
    const limit = new RateLimit({
      key: "learn",
      requestsPerMinute: 600,
      tokensPerMinute: 100_000,
      store,
      maxWaitMs: 0,
    });
    await limit.observe({});
    await limit.observe({ requests: { remaining: 1 }, tokens: { limit: 5 } });
    await limit.acquire();
    await expect(limit.acquire()).rejects.toBeInstanceOf(RateLimitBudgetError);

    await limit.penalize(0);
    advance(60_000);
    await limit.penalize(5_000);
    await expect(limit.acquire()).rejects.toMatchObject({ retryAfterMs: 5_000 });
    advance(5_000);
    await limit.acquire();
  });

  it("lets calls through when the store fails, and reports the failure", async () => {
    const failing: RateLimitStore = {
      apply: () => Promise.reject(new Error("connection refused")),
    };
    const onStoreError = vi.fn();
    const limit = new RateLimit({
      key: "down",
      requestsPerMinute: 1,
      tokensPerMinute: 100,
      store: failing,
      onStoreError,
    });
    const permit = await limit.acquire(10);
    await permit.settle(20);
    expect(onStoreError).toHaveBeenCalledTimes(2);
    expect(String(onStoreError.mock.calls[0]?.[0])).toMatch(/connection refused/);
  });

  it("waits no longer than maxWaitMs, whatever wait a store's grant names", async () => {
    const store: RateLimitStore = {
      apply: (_key, operation) =>
        Promise.resolve(
          operation.kind === "take"
            ? { granted: true, waitMs: 86_400_000 }
            : { granted: true, waitMs: 0 },
        ),
    };
    const limit = new RateLimit({ key: "odd-reply", requestsPerMinute: 1, store, maxWaitMs: 5 });
    const permit = await limit.acquire();
    expect(permit.waitedMs).toBe(5);
  });

  it("fails closed when onStoreError throws", async () => {
    const failing: RateLimitStore = { apply: () => Promise.reject(new Error("down")) };
    const limit = new RateLimit({
      key: "closed",
      requestsPerMinute: 1,
      store: failing,
      onStoreError: (error) => {
        throw error;
      },
    });
    await expect(limit.acquire()).rejects.toThrow("down");
  });
});
