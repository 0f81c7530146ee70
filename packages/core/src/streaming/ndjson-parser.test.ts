import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AbortError, ParseError } from "../errors/errors.js";
import { collect, encode, fromChunks, splitAt } from "../test-support/bytes.js";
import { NDJSONParser, parseNDJSON } from "./ndjson-parser.js";

describe("parseNDJSON", () => {
  it("yields one value per line", async () => {
    const body = fromChunks([encode('{"a":1}\n{"b":[true,null]}\n')]);
    expect(await collect(parseNDJSON(body))).toEqual([{ a: 1 }, { b: [true, null] }]);
  });

  it("skips blank lines, drops a trailing CR and parses an unterminated last line", async () => {
    const body = fromChunks([encode('{"a":1}\r\n\n  \n"tail"')]);
    expect(await collect(parseNDJSON(body))).toEqual([{ a: 1 }, "tail"]);
  });

  it("names the line number and an excerpt of a malformed line", async () => {
    const body = fromChunks([encode('{"a":1}\n\n{"b": oops}\n{"c":3}\n')]);
    const error = await collect(parseNDJSON(body)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).where).toBe('line 3: "{\\"b\\": oops}"');
    expect((error as ParseError).message).toContain("line 3");
  });

  it("shortens and redacts the excerpt of a long malformed line", async () => {
    const parser = new NDJSONParser();
    const line = `{"key": "sk-abcdefghijklmnopqrstuvwxyz" ${"x".repeat(100)}`;
    let caught: unknown;
    try {
      parser.feed(`${line}\n`);
    } catch (e) {
      caught = e;
    }
    const where = (caught as ParseError).where;
    expect(where).toMatch(/^line 1: /);
    expect(where).not.toContain("sk-abcdefghijklmnopqrstuvwxyz");
    expect(where.length).toBeLessThan(100);
  });

  it("throws AbortError when the signal aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      collect(parseNDJSON(fromChunks([encode("1\n")]), { signal: controller.signal })),
    ).rejects.toBeInstanceOf(AbortError);
  });

  it("parses values fed one character at a time", () => {
    const parser = new NDJSONParser();
    const values = [...'{"a":"long value"}\n[1,2]\n'].flatMap((ch) => parser.feed(ch));
    expect([...values, ...parser.end()]).toEqual([{ a: "long value" }, [1, 2]]);
  });

  it("reports the malformed unterminated last line at end()", () => {
    const parser = new NDJSONParser();
    expect(parser.feed("1\n2\n{")).toEqual([1, 2]);
    expect(() => parser.end()).toThrow(/line 3/);
  });

  it("returns the good lines before a malformed one in the same chunk, then throws on the next call", () => {
    const parser = new NDJSONParser();
    expect(parser.feed('{"n":1}\n{"n":\n{"n":3}\n')).toEqual([{ n: 1 }]);
    expect(() => parser.feed('{"n":4}\n')).toThrow(/line 2/);
    expect(() => parser.end()).toThrow(/line 2/);
    // With nothing before it in the chunk, the error is thrown at once.
    expect(() => new NDJSONParser().feed("{\n")).toThrow(/line 1/);
  });
});

// "grapheme" strings bring multi-byte UTF-8 characters, so splits land inside them.
const jsonValue = fc.jsonValue({ maxDepth: 2, stringUnit: "grapheme" });

describe("NDJSON properties", () => {
  it("any split of a valid stream yields the same values", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(jsonValue, { minLength: 1, maxLength: 8 }),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (values, eol, cuts) => {
          const bytes = encode(values.map((v) => JSON.stringify(v)).join(eol) + eol);
          const split = splitAt(
            bytes,
            cuts.map((c) => c % (bytes.length + 1)),
          );
          const whole = await collect(parseNDJSON(fromChunks([bytes])));
          expect(await collect(parseNDJSON(fromChunks(split)))).toEqual(whole);
          expect(whole).toEqual(JSON.parse(JSON.stringify(values)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a malformed line yields a ParseError naming that line, never a hang", async () => {
    const invalidLine = fc
      .string({ minLength: 1, maxLength: 20 })
      .map((s) => s.replace(/[\r\n]/g, " "))
      .filter((s) => {
        if (s.trim() === "") return false;
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      });
    await fc.assert(
      fc.asyncProperty(
        fc.array(jsonValue, { maxLength: 5 }),
        invalidLine,
        fc.array(fc.nat(), { maxLength: 8 }),
        async (before, bad, cuts) => {
          const lines = [...before.map((v) => JSON.stringify(v)), bad, "1"];
          const bytes = encode(`${lines.join("\n")}\n`);
          const split = splitAt(
            bytes,
            cuts.map((c) => c % (bytes.length + 1)),
          );
          const error = await collect(parseNDJSON(fromChunks(split))).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ParseError);
          expect((error as ParseError).where).toMatch(new RegExp(`^line ${before.length + 1}: `));
        },
      ),
      { numRuns: 300 },
    );
  });
});
