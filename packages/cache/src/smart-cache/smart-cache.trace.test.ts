import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SmartCache } from "./smart-cache.js";

function loadTrace(name: string): string[] {
  const url = new URL(`./__fixtures__/${name}.trace.gz`, import.meta.url);
  const text = gunzipSync(readFileSync(url)).toString("latin1");
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && line !== "*");
}

function hitRate(keys: readonly string[], cache: SmartCache<number>): number {
  let hits = 0;
  for (const key of keys) {
    if (cache.get(key) !== undefined) hits++;
    else cache.set(key, 1);
  }
  return (100 * hits) / keys.length;
}

describe("SmartCache on the LIRS loop trace", () => {
  const keys = loadTrace("loop");

  it("reaches at least 48% at 500 entries, where LRU gets nothing", () => {
    expect(hitRate(keys, new SmartCache({ maxEntries: 500 }))).toBeGreaterThanOrEqual(48);
    expect(hitRate(keys, new SmartCache({ maxEntries: 500, policy: "lru" }))).toBe(0);
  });
});
