import { describe, expect, it } from "vitest";
import { diffConfig } from "./diff.js";

describe("diffConfig", () => {
  it("lists changed, added and removed leaves by dotted path", () => {
    const before = { pool: { connections: 1, pipelining: 1 }, clients: { a: { model: "x" } } };
    const after = { pool: { connections: 2, pipelining: 1 }, clients: { b: { model: "y" } } };
    expect(diffConfig(before, after)).toEqual([
      { path: "pool.connections", before: 1, after: 2 },
      { path: "clients.a", before: { model: "x" }, after: undefined },
      { path: "clients.b", before: undefined, after: { model: "y" } },
    ]);
  });

  it("reports a changed array as one change and an equal array as none", () => {
    expect(diffConfig({ f: ["a", "b"] }, { f: ["a", "b"] })).toEqual([]);
    expect(diffConfig({ f: ["a", { x: 1 }] }, { f: ["a", { x: 1 }] })).toEqual([]);
    expect(diffConfig({ f: ["a", "b"] }, { f: ["b"] })).toEqual([
      { path: "f", before: ["a", "b"], after: ["b"] },
    ]);
    expect(diffConfig({ f: [{ x: 1 }] }, { f: [{ x: 2 }] })).toHaveLength(1);
  });

  it("reports a value that changes type", () => {
    expect(diffConfig({ cache: true }, { cache: { ttlMs: 5 } })).toEqual([
      { path: "cache", before: true, after: { ttlMs: 5 } },
    ]);
  });
});
