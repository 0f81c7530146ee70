import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../json.js";
import { PartialJsonParser } from "./partial-json.js";

/** Feeds `chunks` one by one and collects every value `take()` hands out. */
function partials(chunks: string[], parser = new PartialJsonParser()): JsonValue[] {
  const out: JsonValue[] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    const value = parser.take();
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** Whether `partial` could be what `full` looked like part way through its text. */
function isPrefixOf(partial: JsonValue, full: JsonValue): boolean {
  if (typeof partial === "string") return typeof full === "string" && full.startsWith(partial);
  if (Array.isArray(partial)) {
    return (
      Array.isArray(full) &&
      partial.length <= full.length &&
      partial.every((item, i) => isPrefixOf(item, full[i] as JsonValue))
    );
  }
  if (partial !== null && typeof partial === "object") {
    if (full === null || typeof full !== "object" || Array.isArray(full)) return false;
    return Object.entries(partial).every(
      ([key, value]) => key in full && isPrefixOf(value, full[key] as JsonValue),
    );
  }
  return Object.is(partial, full) || partial === full;
}

describe("PartialJsonParser", () => {
  it("closes open containers and strings of the prefix seen so far", () => {
    expect(partials(['{"title":"Hel', "lo", '","tags":["a",', '"b"]}'])).toEqual([
      { title: "Hel" },
      { title: "Hello" },
      { title: "Hello", tags: ["a"] },
      { title: "Hello", tags: ["a", "b"] },
    ]);
  });

  it("leaves out a key without its value and a number that may still grow", () => {
    expect(partials(['{"a":1', "2", ',"b', '":', "3", "}"])).toEqual([
      {},
      { a: 12 },
      { a: 12, b: 3 },
    ]);
  });

  it("never cuts inside an escape sequence", () => {
    expect(partials(['{"s":"x', "\\", "n", "\\u00", "e9", '"}'])).toEqual([
      { s: "x" },
      { s: "x\n" },
      { s: "x\né" },
    ]);
  });

  it("accepts top-level scalars, literals and whitespace around the value", () => {
    expect(partials([" [true, null, -1.5e3 ", "] \n"])).toEqual([[true, null, -1500]]);
    expect(partials(['"hel', 'lo"'])).toEqual(["hel", "hello"]);
  });

  it("stops handing out partials for text that is not JSON", () => {
    for (const text of ["Sure! {", '{"a" 1}', '{"a":1]', '{"a":1}}', "{,}", "{1:2}", "[1 2]"]) {
      const parser = new PartialJsonParser();
      partials([text], parser);
      expect(parser.broken, text).toBe(true);
      parser.push("{}");
      expect(parser.take()).toBeUndefined();
    }
  });

  it("stops at a raw control character inside a string, which JSON forbids", () => {
    const parser = new PartialJsonParser();
    expect(partials(['{"a":"x\u0001'], parser)).toEqual([]);
    expect(parser.broken).toBe(true);
  });

  it("follows nesting only to maxDepth", () => {
    const parser = new PartialJsonParser({ maxDepth: 2 });
    expect(partials(['{"a":{"b":', "{"], parser)).toEqual([{ a: {} }]);
    expect(parser.broken).toBe(true);
  });

  it("re-parses a long answer a bounded number of times, not once per value", () => {
    const parser = new PartialJsonParser();
    const values = partials(
      ['{"n":[', ...Array.from({ length: 20_000 }, (_, i) => `${i},`), "0]}"],
      parser,
    );
    // Every value up to 1 KiB, then once per eighth of growth: a few hundred parses for 20 000 values.
    expect(values.length).toBeLessThan(500);
    expect(parser.text.length).toBeGreaterThan(100_000);
  });

  it("only ever hands out prefixes of the final value, however the text is chunked", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })),
        fc.array(fc.nat(), { maxLength: 20 }),
        (value, cuts) => {
          const text = JSON.stringify(value, null, cuts.length % 2 === 0 ? undefined : 1);
          const full = JSON.parse(text) as JsonValue;
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let from = 0;
          for (const point of [...points, text.length]) {
            chunks.push(text.slice(from, point));
            from = point;
          }
          const parser = new PartialJsonParser();
          for (const partial of partials(chunks, parser)) {
            expect(isPrefixOf(partial, full)).toBe(true);
          }
          expect(parser.broken).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
