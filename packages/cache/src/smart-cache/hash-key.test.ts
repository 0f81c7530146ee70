import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HASH_RANGE, hashKey } from "./hash-key.js";

/** Distinct keys minus distinct hashes. */
function collisions(keys: readonly string[]): number {
  expect(new Set(keys).size).toBe(keys.length);
  return keys.length - new Set(keys.map(hashKey)).size;
}

/** Prompts as templates produce them: long shared head and tail, a short varying middle. */
function templatedPrompts(count: number): string[] {
  const head =
    "You are a helpful assistant for an online shop. Answer in two sentences, politely, and never invent prices. Customer question: ";
  const tail =
    " Context: the customer is logged in, their basket holds items, and shipping is free over 50 EUR. Reply in the customer's language.";
  const products = ["kettle", "toaster", "blender", "lamp", "desk", "chair", "mug", "kettle lid"];
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const product = products[i % products.length] as string;
    keys.push(`${head}Where is my order #${100_000 + i} for the ${product}?${tail}`);
  }
  return keys;
}

describe("hashKey", () => {
  it("is deterministic, non-negative and below 2^30 (a V8 small integer)", () => {
    const h = hashKey("abc");
    expect(h).toBe(hashKey("abc"));
    expect(Number.isInteger(h) && h >= 0 && h < HASH_RANGE).toBe(true);
  });

  it("separates short keys", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(hashKey(String(i)));
    expect(seen.size).toBe(10_000);
  });

  it("has only birthday-bound collisions on 50,000 templated prompts that share head and tail", () => {
    // 50,000 keys in 2^30 values: 1.16 collisions expected; 7 or more has probability < 0.1%.
    expect(collisions(templatedPrompts(50_000))).toBeLessThan(7);
  });

  it("has only birthday-bound collisions on 50,000 namespaced SHA-256 request keys", () => {
    const keys = templatedPrompts(50_000).map(
      (prompt, i) => `tenant-${i % 7}:${createHash("sha256").update(prompt).digest("hex")}`,
    );
    expect(collisions(keys)).toBeLessThan(7);
  });

  it("separates one digest under different namespaces, and non-hex 64-char tails", () => {
    const digest = createHash("sha256").update("x").digest("hex");
    expect(hashKey(`tenant-a:${digest}`)).not.toBe(hashKey(`tenant-b:${digest}`));
    expect(hashKey(digest)).not.toBe(hashKey(`tenant-a:${digest}`));
    expect(hashKey(`ns:${"g".repeat(64)}`)).not.toBe(hashKey(`ns:${"h".repeat(64)}`));
  });

  it("hashes a 64-char key that is not hex whole, so keys differing only past the 8th char differ", () => {
    const a = `ns:${"z".repeat(63)}a`;
    const b = `ns:${"z".repeat(63)}b`;
    expect(hashKey(a)).not.toBe(hashKey(b));
  });

  it("distinguishes keys that differ in one character in the middle", () => {
    const base = "p".repeat(500);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(hashKey(`${base.slice(0, i)}q${base.slice(i + 1)}`));
    expect(seen.size).toBe(500);
  });
});
