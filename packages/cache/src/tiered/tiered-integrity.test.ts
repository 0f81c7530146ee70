import { ConfigError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { SmartCache } from "../smart-cache/smart-cache.js";
import { MemoryStore } from "../store/memory-store.js";
import { waitUntil } from "../store/store-conformance.js";
import { type CorruptEntryEvent, TieredCache, type TieredCacheOptions } from "./tiered-cache.js";

const SECRET = "a-cache-secret-of-some-length";
const OTHER = "another-secret-of-some-length";

function tiered(store: MemoryStore, extra: Partial<TieredCacheOptions<unknown>> = {}) {
  const reports: CorruptEntryEvent[] = [];
  const cache = new TieredCache<unknown>({
    l1: new SmartCache<unknown>({ maxEntries: 100 }),
    l2: store,
    onCorrupt: (event) => reports.push(event),
    ...extra,
  });
  return { cache, reports };
}

describe("TieredCache integrity", () => {
  it("signs what it stores and reads back its own signed entries", async () => {
    const store = new MemoryStore();
    const writer = tiered(store, { integrity: { secret: SECRET } });
    await writer.cache.set("k", { answer: 42 });
    const stored = await store.get("k");
    expect(stored).toMatch(/^h1\.[\w-]{43}\.\{"v":1,/);
    const reader = tiered(store, { integrity: { secret: SECRET } });
    expect(await reader.cache.lookup("k")).toMatchObject({ value: { answer: 42 }, level: "l2" });
    expect(reader.reports).toEqual([]);
  });

  it("rejects an unsigned entry as corrupt: counted, reported, deleted", async () => {
    const store = new MemoryStore();
    await tiered(store).cache.set("k", { answer: 42 });
    const { cache, reports } = tiered(store, { integrity: { secret: SECRET } });
    expect(await cache.lookup("k")).toBeUndefined();
    expect(cache.stats().l2.corrupt).toBe(1);
    expect(reports).toEqual([{ key: "k", level: "l2", reason: "entry is not signed" }]);
    await waitUntil(async () => (await store.get("k")) === undefined);
  });

  it("rejects an entry signed with another secret, an altered body and an entry moved to another key", async () => {
    const store = new MemoryStore();
    await tiered(store, { integrity: { secret: OTHER } }).cache.set("forged", { answer: 1 });
    const { cache, reports } = tiered(store, { integrity: { secret: SECRET } });
    await cache.set("genuine", { answer: 2 });
    const genuine = (await store.get("genuine"))!;
    await store.set("altered", genuine.replace('"answer":2', '"answer":3'));
    await store.set("moved", genuine);
    cache.l1.clear();
    for (const key of ["forged", "altered", "moved"])
      expect(await cache.lookup(key)).toBeUndefined();
    expect(reports.map((r) => [r.key, r.reason])).toEqual([
      ["forged", "entry signature does not verify"],
      ["altered", "entry signature does not verify"],
      ["moved", "entry signature does not verify"],
    ]);
    expect(await cache.lookup("genuine")).toMatchObject({ value: { answer: 2 }, level: "l2" });
  });

  it("rejects a malformed signature", async () => {
    const store = new MemoryStore();
    const { cache, reports } = tiered(store, { integrity: { secret: SECRET } });
    await store.set("k", 'h1.short.{"v":1}');
    expect(await cache.lookup("k")).toBeUndefined();
    expect(reports[0]?.reason).toBe("entry signature is malformed");
  });

  it("verifies entries signed with a previous secret during a rotation, and signs new ones with the current one", async () => {
    const store = new MemoryStore();
    await tiered(store, { integrity: { secret: OTHER } }).cache.set("old", { answer: 1 });
    const rotated = tiered(store, { integrity: { secret: SECRET, previousSecrets: [OTHER] } });
    expect(await rotated.cache.lookup("old")).toMatchObject({ value: { answer: 1 }, level: "l2" });
    await rotated.cache.set("new", { answer: 2 });
    const onlyNew = tiered(store, { integrity: { secret: SECRET } });
    expect(await onlyNew.cache.get("new")).toEqual({ answer: 2 });
    expect(await onlyNew.cache.get("old")).toBeUndefined();
  });

  it("reads signed entries when integrity is off (a peer may have it on)", async () => {
    const store = new MemoryStore();
    await tiered(store, { integrity: { secret: SECRET } }).cache.set("k", { answer: 42 });
    expect(await tiered(store).cache.get("k")).toEqual({ answer: 42 });
  });

  it("refuses a secret too short to be one, naming the setting", () => {
    const make = () => tiered(new MemoryStore(), { integrity: { secret: "short" } });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(/too short/);
  });
});

describe("TieredCache bounds and validation", () => {
  it("rejects an entry bigger than maxEntryBytes without parsing it", async () => {
    const store = new MemoryStore();
    const { cache, reports } = tiered(store, { maxEntryBytes: 100 });
    await cache.set("k", { text: "x".repeat(200) });
    cache.l1.clear();
    expect(await cache.get("k")).toBeUndefined();
    expect(reports[0]?.reason).toMatch(/^entry: \d+ characters, more than 100$/);
  });

  it("runs validate before promoting into L1, and reports its reason once", async () => {
    const store = new MemoryStore();
    const { cache, reports } = tiered(store, {
      validate: (value) =>
        typeof value === "object" && value !== null && "ok" in value
          ? undefined
          : "value.ok: missing",
    });
    await store.set("k", '{"v":1,"at":1,"exp":null,"tags":[],"data":{"bad":true}}');
    expect(await cache.lookup("k")).toBeUndefined();
    expect(cache.l1.get("k")).toBeUndefined();
    expect(reports).toEqual([{ key: "k", level: "l2", reason: "value.ok: missing" }]);
    expect(await cache.lookup("k")).toBeUndefined();
    expect(reports).toHaveLength(1); // deleted: the second read is a plain miss
  });

  it("never quotes an entry that is not JSON in its reason", async () => {
    const store = new MemoryStore();
    const { cache, reports } = tiered(store);
    await store.set("k", "{sk-live-secret-in-garbage");
    expect(await cache.get("k")).toBeUndefined();
    expect(reports[0]?.reason).toBe("envelope: not valid JSON");
  });

  it("drops an L1 entry its codec cannot decode, as a corrupt L1 miss", async () => {
    let decodes = 0;
    const l1 = new SmartCache<unknown>({
      maxEntries: 10,
      codec: {
        encode: (v) => JSON.stringify(v),
        decode: () => {
          decodes++;
          throw new SyntaxError("Unexpected token in sk-secret");
        },
      },
    });
    const reports: CorruptEntryEvent[] = [];
    const cache = new TieredCache<unknown>({ l1, onCorrupt: (e) => reports.push(e) });
    await cache.set("k", { a: 1 });
    expect(await cache.lookup("k")).toBeUndefined();
    expect(decodes).toBe(1);
    expect(cache.stats().l1.corrupt).toBe(1);
    expect(reports).toEqual([
      { key: "k", level: "l1", reason: "entry did not decode (SyntaxError)" },
    ]);
    expect(l1.size).toBe(0);
  });
});
