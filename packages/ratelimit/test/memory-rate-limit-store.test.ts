import { describe, expect, it } from "vitest";
import { MemoryRateLimitStore } from "../src/memory-rate-limit-store.js";
import { describeRateLimitStore } from "./describe-rate-limit-store.js";

describeRateLimitStore("MemoryRateLimitStore", async () => {
  const store = new MemoryRateLimitStore();
  return { store, key: (suffix) => suffix, close: async () => {} };
});

describe("MemoryRateLimitStore", () => {
  const take = {
    kind: "take",
    maxWaitMs: 0,
    dims: [{ rate: { limit: 1, periodMs: 60_000 }, units: 1 }],
  } as const;

  it("holds at most maxKeys budgets, dropping the least recently used", async () => {
    const store = new MemoryRateLimitStore({ maxKeys: 2, now: () => 0 });
    await store.apply("a", take);
    await store.apply("b", take);
    await store.apply("a", take); // a is now the most recent (and refused)
    await store.apply("c", take);
    expect(store.size).toBe(2);
    // b was dropped, so its spent budget is forgotten; a's is not.
    expect((await store.apply("b", take)).granted).toBe(true);
    expect((await store.apply("c", take)).granted).toBe(false);
  });

  it("rejects a maxKeys that is not a positive integer", () => {
    expect(() => new MemoryRateLimitStore({ maxKeys: 0 })).toThrow(
      /maxKeys must be a positive integer/,
    );
    expect(() => new MemoryRateLimitStore({ maxKeys: 1.5 })).toThrow(RangeError);
  });
});
