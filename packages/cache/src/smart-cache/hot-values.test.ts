import { describe, expect, it } from "vitest";
import { compressedJsonCodec } from "./codecs.js";
import { HotValues } from "./hot-values.js";
import { SmartCache } from "./smart-cache.js";

const answer = (n: number) => ({ id: `r${n}`, text: `answer ${n} `.repeat(20), parts: [{ n }] });

describe("HotValues", () => {
  it("admits a value on its second decode, then serves that same object", () => {
    const hot = new HotValues<{ n: number }>();
    expect(hot.get("a")).toBeUndefined();
    const first = hot.offer("a", { n: 1 }, 7);
    expect(Object.isFrozen(first)).toBe(true);
    expect(hot.size).toBe(0);
    const second = hot.offer("a", { n: 1 }, 7);
    expect(hot.size).toBe(1);
    expect(hot.get("a")).toBe(second);
    expect(hot.hits).toBe(1);
  });

  it("deep-freezes what it keeps, so no caller can change the next caller's value", () => {
    const hot = new HotValues<{ list: Array<{ x: number }> }>();
    hot.offer("k", { list: [{ x: 1 }] }, 20);
    const kept = hot.offer("k", { list: [{ x: 1 }] }, 20);
    expect(() => {
      kept.list[0]!.x = 2;
    }).toThrow(TypeError);
    expect(() => kept.list.push({ x: 3 })).toThrow(TypeError);
    expect(hot.get("k")).toEqual({ list: [{ x: 1 }] });
  });

  it("keeps at most maxEntries, evicting the oldest not hit since its last turn", () => {
    const hot = new HotValues<number>({ maxEntries: 2 });
    const admit = (key: string, value: number) => {
      hot.offer(key, value, 1);
      hot.offer(key, value, 1);
    };
    admit("a", 1);
    admit("b", 2);
    hot.get("a"); // a gets a second chance
    admit("c", 3);
    expect(hot.size).toBe(2);
    expect(hot.get("a")).toBe(1);
    expect(hot.get("b")).toBeUndefined();
    expect(hot.get("c")).toBe(3);
  });

  it("bounds its estimated bytes and refuses a value bigger than the whole budget", () => {
    const hot = new HotValues<string>({ maxBytes: 1_000 });
    hot.offer("big", "x", 2_000);
    hot.offer("big", "x", 2_000);
    expect(hot.size).toBe(0);
    for (const key of ["p", "q", "r"]) {
      hot.offer(key, key, 100);
      hot.offer(key, key, 100);
    }
    expect(hot.bytes).toBeLessThanOrEqual(1_000);
    expect(hot.size).toBe(3);
    hot.offer("s", "s", 200);
    hot.offer("s", "s", 200);
    expect(hot.bytes).toBeLessThanOrEqual(1_000);
    expect(hot.get("s")).toBe("s");
    expect(hot.size).toBeLessThan(4);
  });

  it("does nothing with maxEntries 0, and forgets everything on clear", () => {
    const off = new HotValues<number>({ maxEntries: 0 });
    off.offer("a", 1, 1);
    off.offer("a", 1, 1);
    expect(off.size).toBe(0);
    const hot = new HotValues<number>();
    hot.offer("a", 1, 1);
    hot.offer("a", 1, 1);
    hot.clear();
    expect(hot.size).toBe(0);
    expect(hot.bytes).toBe(0);
    expect(hot.get("a")).toBeUndefined();
  });
});

describe("compressedJsonCodec's hot decoded values", () => {
  it("decodes a repeatedly hit entry once more, then serves it without inflating", () => {
    const codec = compressedJsonCodec<ReturnType<typeof answer>>();
    const cache = new SmartCache<ReturnType<typeof answer>>({ maxEntries: 100, codec });
    cache.set("k", answer(1));
    const cold = cache.get("k");
    const admitted = cache.get("k");
    expect(cold).toEqual(answer(1));
    expect(cold).not.toBe(admitted);
    expect(cache.get("k")).toBe(admitted);
    expect(cache.get("k")).toBe(admitted);
    expect(codec.hot?.hits).toBe(2);
  });

  it("never serves a kept value for another text, even after its entry was replaced", () => {
    const codec = compressedJsonCodec<ReturnType<typeof answer>>();
    const cache = new SmartCache<ReturnType<typeof answer>>({ maxEntries: 100, codec });
    cache.set("k", answer(1));
    cache.get("k");
    cache.get("k");
    cache.set("k", answer(2));
    expect(cache.get("k")).toEqual(answer(2));
  });

  it("decodes on every hit with hot: false", () => {
    const codec = compressedJsonCodec<ReturnType<typeof answer>>({ hot: false });
    const cache = new SmartCache<ReturnType<typeof answer>>({ maxEntries: 100, codec });
    cache.set("k", answer(1));
    const values = [cache.get("k"), cache.get("k"), cache.get("k")];
    expect(new Set(values).size).toBe(3);
    expect(codec.hot).toBeUndefined();
  });
});
