import { describe, expect, it } from "vitest";
import { storedGenerationsProblem } from "../src/index.js";

/** `{ x: { x: … "leaf" } }`, built without recursion so any depth can be tested. */
function nested(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}
const ok = {
  v: 1,
  g: [{ m: { c: "hi", tc: [{ id: "c1", n: "weather", a: { city: "Paris" } }] } }],
};

describe("storedGenerationsProblem", () => {
  it("accepts a well-formed entry", () => {
    expect(storedGenerationsProblem(ok)).toBeUndefined();
    expect(
      storedGenerationsProblem({ v: 1, g: [{ t: "plain", i: { finish_reason: "stop" } }] }),
    ).toBeUndefined();
  });

  it.each([
    ["a string", "oops", "entry: expected object, got string"],
    ["another version", { v: 2, g: [] }, "entry.v: expected 1, got number"],
    ["no generation list", { v: 1, g: {} }, "entry.g: expected array, got object"],
    ["no generations", { v: 1, g: [] }, "entry.g: expected at least one generation, got none"],
    ["a null generation", { v: 1, g: [null] }, "entry.g[0]: expected object, got null"],
    ["a numeric text", { v: 1, g: [{ t: 1 }] }, "entry.g[0].t: expected string, got number"],
    [
      "neither text nor message",
      { v: 1, g: [{}] },
      "entry.g[0]: expected a text (t) or a message (m), got neither",
    ],
    [
      "a non-object info",
      { v: 1, g: [{ t: "", i: [] }] },
      "entry.g[0].i: expected object, got array",
    ],
    [
      "a message that is an array",
      { v: 1, g: [{ m: [] }] },
      "entry.g[0].m: expected object, got array",
    ],
    [
      "content blocks that are not objects",
      { v: 1, g: [{ m: { c: ["x"] } }] },
      "entry.g[0].m.c[0]: expected object, got string",
    ],
    [
      "a numeric id",
      { v: 1, g: [{ m: { c: "", id: 7 } }] },
      "entry.g[0].m.id: expected string, got number",
    ],
    [
      "metadata that is a string",
      { v: 1, g: [{ m: { c: "", r: "x" } }] },
      "entry.g[0].m.r: expected object, got string",
    ],
    [
      "tool calls that are an object",
      { v: 1, g: [{ m: { c: "", tc: {} } }] },
      "entry.g[0].m.tc: expected array, got object",
    ],
    [
      "a tool call without a name",
      { v: 1, g: [{ m: { c: "", tc: [{ a: {} }] } }] },
      "entry.g[0].m.tc[0].n: expected string, got undefined",
    ],
    [
      "a tool call with a numeric id",
      { v: 1, g: [{ m: { c: "", tc: [{ n: "t", id: 1, a: {} }] } }] },
      "entry.g[0].m.tc[0].id: expected string, got number",
    ],
    [
      "tool call arguments that are null",
      { v: 1, g: [{ m: { c: "", tc: [{ n: "t", a: null }] } }] },
      "entry.g[0].m.tc[0].a: expected object, got null",
    ],
    [
      "a non-finite number",
      { v: 1, g: [{ t: "", i: { n: Number.NaN } }] },
      "entry.g[0].i.n: expected finite number, got number",
    ],
    [
      "a function",
      { v: 1, g: [{ t: "", i: { f: () => 1 } }] },
      "entry.g[0].i.f: expected JSON value, got function",
    ],
    [
      "invalid tool calls that are not objects",
      { v: 1, g: [{ m: { c: "", itc: [1] } }] },
      "entry.g[0].m.itc[0]: expected object, got number",
    ],
  ])("refuses %s, naming the path", (_name, value, reason) => {
    expect(storedGenerationsProblem(value)).toBe(reason);
  });

  it("refuses more generations, tool calls, depth or nodes than the limits", () => {
    const many = { v: 1, g: Array.from({ length: 3 }, () => ({ t: "x" })) };
    expect(storedGenerationsProblem(many, { maxGenerations: 2 })).toBe(
      "entry.g: 3 generations, more than the limit of 2",
    );
    const calls = {
      v: 1,
      g: [{ m: { c: "", tc: Array.from({ length: 3 }, () => ({ n: "t", a: {} })) } }],
    };
    expect(storedGenerationsProblem(calls, { maxToolCalls: 2 })).toBe(
      "entry.g[0].m.tc: 3 tool calls, more than the limit of 2",
    );
    const invalid = { v: 1, g: [{ m: { c: "", itc: [{}, {}, {}] } }] };
    expect(storedGenerationsProblem(invalid, { maxToolCalls: 2 })).toBe(
      "entry.g[0].m.itc: 3 items, more than the limit of 2",
    );
    const deep = { v: 1, g: [{ t: "", i: nested(100_000) }] };
    expect(storedGenerationsProblem(deep)).toMatch(/nested deeper than the limit of 32$/);
    const wide = { v: 1, g: [{ t: "", i: { list: Array.from({ length: 100 }, (_, i) => i) } }] };
    expect(storedGenerationsProblem(wide, { maxJsonNodes: 50 })).toMatch(
      /more JSON nodes than the limit$/,
    );
  });

  it("never echoes the stored text in its reason", () => {
    const reason = storedGenerationsProblem({ v: 1, g: [{ t: 5, m: { c: "private words" } }] });
    expect(reason).not.toContain("private");
  });
});
