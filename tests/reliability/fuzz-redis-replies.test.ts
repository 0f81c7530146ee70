import { isLLMError, ParseError } from "@llm/core";
import { RateLimit } from "@llm/ratelimit";
import { RedisRateLimitStore } from "@llm/ratelimit/redis";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { fuzzParams } from "./support/fuzz.js";
import { expectTypedFailure } from "./support/typed-failure.js";
import { failOnUnhandled } from "./support/unhandled.js";

const RUNS = 300;

/** Replies a Redis (or a proxy, or another script under the same SHA) might give: near misses first. */
const scriptReply: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(
    fc.constantFrom(0, 1),
    fc.double({ min: 0, max: 1e6, noNaN: true }).map((n) => n.toFixed(3)),
  ),
  fc.tuple(
    fc.oneof(fc.constantFrom(0, 1, 2, -1, "1", "0", null), fc.jsonValue({ maxDepth: 1 })),
    fc.oneof(
      fc.constantFrom("", "abc", "-1.000", "1e400", "NaN", "Infinity", null, 5, [], "12.000"),
      fc.string({ maxLength: 12 }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
  ),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
);

/** Stands in for ioredis: `evalsha` answers what the property chose (no server: the reply is the input). */
function fakeRedis(reply: () => unknown): Redis {
  return { evalsha: async () => reply(), eval: async () => reply() } as unknown as Redis;
}

describe("the rate-limit Redis store fed script replies of the wrong shape", () => {
  failOnUnhandled();

  it("answers a finite, non-negative outcome or rejects with a ParseError naming the reply's place", async () => {
    const seen = { ok: 0, refused: 0 };
    let next: unknown;
    const store = new RedisRateLimitStore(
      fakeRedis(() => next),
      { prefix: "fuzz" },
    );
    await fc.assert(
      fc.asyncProperty(
        scriptReply,
        fc.constantFrom("take", "adjust", "floor"),
        async (reply, kind) => {
          next = reply;
          const dims = [{ rate: { limit: 10, periodMs: 1000 }, units: 1 }];
          const operation =
            kind === "take"
              ? ({ kind, maxWaitMs: 100, dims } as const)
              : kind === "floor"
                ? ({ kind, afterMs: 0, dims } as const)
                : ({ kind, dims } as const);
          try {
            const outcome = await store.apply("k", operation);
            expect(typeof outcome.granted).toBe("boolean");
            expect(Number.isFinite(outcome.waitMs) && outcome.waitMs >= 0).toBe(true);
            seen.ok++;
          } catch (error) {
            expect(error).toBeInstanceOf(ParseError);
            expectTypedFailure(error);
            seen.refused++;
          }
        },
      ),
      fuzzParams(RUNS),
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it("lets a call through (fail open) and hands onStoreError a typed error, never a TypeError", async () => {
    let next: unknown;
    const storeErrors: unknown[] = [];
    const limit = new RateLimit({
      key: "fuzz",
      requestsPerMinute: 600,
      maxWaitMs: 50,
      store: new RedisRateLimitStore(
        fakeRedis(() => next),
        { prefix: "fuzz" },
      ),
      onStoreError: (error) => storeErrors.push(error),
    });
    await fc.assert(
      // A granted reply is a promise to sleep its wait: keep those short (the real script never exceeds maxWaitMs).
      fc.asyncProperty(
        scriptReply.filter((r) => !(Array.isArray(r) && Number(r[1]) > 20)),
        async (reply) => {
          next = reply;
          storeErrors.length = 0;
          try {
            const permit = await limit.acquire(1, { maxWaitMs: 50 });
            expect(Number.isFinite(permit.waitedMs)).toBe(true);
          } catch (error) {
            // Refused by the budget: a RateLimitBudgetError with a finite retry hint.
            expect(isLLMError(error), String(error)).toBe(true);
            const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
            if (retryAfterMs !== undefined) expect(Number.isFinite(retryAfterMs)).toBe(true);
          }
          for (const error of storeErrors) expectTypedFailure(error);
        },
      ),
      fuzzParams(RUNS),
    );
  });
});
