import { beforeEach, describe, expect, it, vi } from "vitest";
import { hashKey } from "./hash-key.js";
import { SmartCache } from "./smart-cache.js";

// Count the calls SmartCache makes to hashKey while keeping its real result.
vi.mock("./hash-key.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("./hash-key.js")>();
  return { ...real, hashKey: vi.fn(real.hashKey) };
});
const hashCalls = vi.mocked(hashKey);

describe("SmartCache hit path", () => {
  beforeEach(() => {
    hashCalls.mockClear();
  });

  it("hashes a key once, on the miss before its set, and never on its hits", () => {
    const cache = new SmartCache<number>({ maxEntries: 100 });
    expect(cache.get("k")).toBeUndefined();
    cache.set("k", 1);
    expect(hashCalls).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 50; i++) expect(cache.get("k")).toBe(1);
    expect(hashCalls).toHaveBeenCalledTimes(1);
  });

  it("keeps an entry's hash through promotion, admission contests and overwrites", () => {
    const cache = new SmartCache<number>({ maxEntries: 20 });
    for (let i = 0; i < 60; i++) {
      cache.set(`k${i}`, i);
      cache.get(`k${i}`);
    }
    const writesHashed = hashCalls.mock.calls.length;
    expect(writesHashed).toBe(60);
    const held = Array.from({ length: 60 }, (_, i) => `k${i}`).filter((key) => cache.has(key));
    hashCalls.mockClear();
    for (const key of held) {
      cache.get(key);
      cache.get(key);
      cache.set(key, 0);
    }
    expect(hashCalls).not.toHaveBeenCalled();
  });
});
