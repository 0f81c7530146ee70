import { describe, expect, it } from "vitest";
import { describeCacheStore } from "../testing.js";
import { MemoryStore } from "./memory-store.js";

describeCacheStore("MemoryStore", {
  create: () => new MemoryStore(),
  connectPeer: (store) => (store as MemoryStore).connect(),
});

describe("MemoryStore", () => {
  it("counts only unexpired entries in size", async () => {
    let now = 1_000;
    const store = new MemoryStore({ now: () => now });
    await store.set("a", "1", { ttlMs: 10 });
    await store.set("b", "2");
    expect(store.size).toBe(2);
    now += 20;
    expect(store.size).toBe(1);
    expect(await store.delete("a")).toBe(false);
  });

  it("stops telling a handle about invalidations once it is closed", async () => {
    const a = new MemoryStore();
    const b = a.connect();
    const seen: string[] = [];
    b.subscribe((inv) => seen.push(inv.type));
    await b.close();
    await a.delete("k");
    expect(seen).toEqual([]);
  });
});
