import { describe, expect, it } from "vitest";
import { loadLirsTrace, policies, replay } from "../traces.ts";
import { FifoRing } from "./fifo-ring.ts";
import { S3Fifo } from "./s3-fifo.ts";
import { Sieve } from "./sieve.ts";

describe("Sieve", () => {
  it("evicts the oldest unvisited entry and keeps a visited one, clearing its bit", () => {
    const cache = new Sieve<number>(3);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    cache.get("a");
    cache.set("d", 4); // hand from the tail: a visited (cleared, kept), b evicted
    expect([cache.get("a"), cache.get("b"), cache.get("c"), cache.get("d")]).toEqual([
      1,
      undefined,
      3,
      4,
    ]);
    expect(cache.size).toBe(3);
  });

  it("resumes the hand where it stopped instead of at the tail", () => {
    const cache = new Sieve<number>(3);
    for (const key of ["a", "b", "c"]) cache.set(key, 0);
    cache.get("a");
    cache.set("d", 0); // evicts b; hand rests on c
    cache.get("a"); // a visited again, but the hand is past it
    cache.set("e", 0); // c is unvisited: evicted
    expect(cache.get("c")).toBeUndefined();
    expect(cache.get("a")).toBe(0);
  });
});

describe("S3Fifo", () => {
  it("sends a one-hit wonder through the small queue into the ghost, and a ghost hit to main", () => {
    const cache = new S3Fifo<number>(10); // small holds 1
    cache.set("once", 1);
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, i);
    expect(cache.get("once")).toBeUndefined();
    cache.set("once", 1); // remembered by the ghost: straight to main
    for (let i = 10; i < 15; i++) cache.set(`k${i}`, i);
    expect(cache.get("once")).toBe(1);
  });

  it("promotes an entry accessed twice in the small queue to main", () => {
    const cache = new S3Fifo<number>(10);
    cache.set("hot", 1);
    cache.get("hot");
    cache.get("hot");
    for (let i = 0; i < 9; i++) cache.set(`k${i}`, i);
    cache.set("x", 0); // small overflows: hot (count 2) moves to main
    expect(cache.get("hot")).toBe(1);
    expect(cache.size).toBe(10);
  });

  it("matches the reference S3-FIFO hit rates of the traces README within 0.1 point", () => {
    const reference: Array<[string, number, number]> = [
      ["loop", 1000, 89.62],
      ["gli", 1000, 35.05],
      ["multi2", 500, 49.17],
      ["ps", 1000, 52.59],
      ["cs", 1000, 36.48],
    ];
    for (const [trace, size, expected] of reference) {
      expect(replay(loadLirsTrace(trace), policies.s3fifo(size))).toBeCloseTo(expected, 1);
    }
  });
});

describe("FifoRing", () => {
  it("shifts in push order and refuses a push when full", () => {
    const ring = new FifoRing(2);
    ring.push("a");
    ring.push("b");
    expect(() => ring.push("c")).toThrow(RangeError);
    expect([ring.shift(), ring.shift(), ring.shift()]).toEqual(["a", "b", undefined]);
  });
});
