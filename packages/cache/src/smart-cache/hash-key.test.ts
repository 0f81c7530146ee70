import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashKey } from "./hash-key.js";

describe("hashKey", () => {
  it("is deterministic and unsigned 32-bit", () => {
    const h = hashKey("abc");
    expect(h).toBe(hashKey("abc"));
    expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
  });

  it("separates short keys", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(hashKey(String(i)));
    expect(seen.size).toBe(10_000);
  });

  it("separates SHA-256 keys by their digest and their namespace", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      seen.add(hashKey(`llm:${createHash("sha256").update(String(i)).digest("hex")}`));
    }
    expect(seen.size).toBeGreaterThan(9_990);
    const digest = "a".repeat(64);
    expect(hashKey(`tenant-a:${digest}`)).not.toBe(hashKey(`tenant-b:${digest}`));
  });
});
