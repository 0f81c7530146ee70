import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AbortError } from "../errors/errors.js";
import { collect, encode, fromChunks, splitAt } from "../test-support/bytes.js";
import { parseSSE, type SSEEvent, SSEParser } from "./sse-parser.js";

const parseAll = (text: string): SSEEvent[] => {
  const parser = new SSEParser();
  return [...parser.feed(text), ...parser.end()];
};

describe("SSEParser", () => {
  it("dispatches an event at a blank line with the default type message", () => {
    expect(parseAll("data: hello\n\n")).toEqual([{ event: "message", data: "hello" }]);
  });

  it("joins multi-line data with a line feed", () => {
    expect(parseAll("data: a\ndata: b\ndata:c\n\n")).toEqual([
      { event: "message", data: "a\nb\nc" },
    ]);
  });

  it("accepts CR, LF and CRLF line ends in one stream", () => {
    expect(parseAll("data: a\r\rdata: b\n\ndata: c\r\n\r\n")).toEqual([
      { event: "message", data: "a" },
      { event: "message", data: "b" },
      { event: "message", data: "c" },
    ]);
  });

  it("treats a CR ending one chunk and an LF starting the next as one line end", () => {
    const parser = new SSEParser();
    expect(parser.feed("data: a\r")).toEqual([]);
    expect(parser.feed("\n\r")).toEqual([{ event: "message", data: "a" }]);
    expect(parser.feed("\ndata: b\n\n")).toEqual([{ event: "message", data: "b" }]);
  });

  it("ignores comment lines", () => {
    expect(parseAll(": keep-alive\ndata: x\n: another\n\n")).toEqual([
      { event: "message", data: "x" },
    ]);
  });

  it("reads the event, id and retry fields", () => {
    expect(parseAll("event: message_start\nid: 7\nretry: 1500\ndata: {}\n\n")).toEqual([
      { event: "message_start", data: "{}", id: "7", retry: 1500 },
    ]);
  });

  it("keeps the last event id for later events, as the spec says", () => {
    expect(parseAll("id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n")).toEqual([
      { event: "message", data: "a", id: "1" },
      { event: "message", data: "b", id: "1" },
      { event: "message", data: "c" },
    ]);
  });

  it("ignores an id containing NUL and a non-numeric retry", () => {
    expect(parseAll("id: a\u0000b\nretry: 12a\ndata: x\n\n")).toEqual([
      { event: "message", data: "x" },
    ]);
  });

  it("does not dispatch a block without data, and forgets its event type", () => {
    expect(parseAll("event: ping\n\ndata: x\n\n")).toEqual([{ event: "message", data: "x" }]);
  });

  it("dispatches an empty data field as an empty string", () => {
    expect(parseAll("data\n\ndata:\n\n")).toEqual([
      { event: "message", data: "" },
      { event: "message", data: "" },
    ]);
  });

  it("strips only one space after the colon", () => {
    expect(parseAll("data:  two\n\n")).toEqual([{ event: "message", data: " two" }]);
  });

  it("ignores unknown fields", () => {
    expect(parseAll("foo: bar\ndata: x\n\n")).toEqual([{ event: "message", data: "x" }]);
  });

  it("strips a leading byte order mark once", () => {
    expect(parseAll("\uFEFFdata: x\n\n")).toEqual([{ event: "message", data: "x" }]);
    const parser = new SSEParser();
    parser.feed("\uFEFFdata: a\n\n");
    expect(parser.feed("\uFEFFdata: b\n\n")).toEqual([]);
  });

  it("dispatches an unterminated last block at end", () => {
    const parser = new SSEParser();
    expect(parser.feed("data: a\n\ndata: tail")).toEqual([{ event: "message", data: "a" }]);
    expect(parser.end()).toEqual([{ event: "message", data: "tail" }]);
  });

  it("parses a stream fed one character at a time", () => {
    const text = "event: e\r\ndata: long line\r\n\r\ndata: x\n\n";
    const parser = new SSEParser();
    const events = [...text].flatMap((ch) => parser.feed(ch));
    expect([...events, ...parser.end()]).toEqual([
      { event: "e", data: "long line" },
      { event: "message", data: "x" },
    ]);
  });

  it("returns nothing for empty input", () => {
    const parser = new SSEParser();
    expect(parser.feed("")).toEqual([]);
    expect(parser.end()).toEqual([]);
  });
});

describe("parseSSE", () => {
  it("decodes a UTF-8 character split across chunks", async () => {
    const bytes = encode("data: h€llo 😀\n\n");
    const events = await collect(parseSSE(fromChunks(splitAt(bytes, [8, 9, 14, 15, 16]))));
    expect(events).toEqual([{ event: "message", data: "h€llo 😀" }]);
  });

  it("parses an OpenAI chat completion stream", async () => {
    const text =
      'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n' +
      'data: {"choices":[{"delta":{"content":" there"}}]}\n\n' +
      "data: [DONE]\n\n";
    const events = await collect(parseSSE(fromChunks([encode(text)])));
    expect(events.map((e) => e.data)).toEqual([
      '{"choices":[{"delta":{"content":"Hi"}}]}',
      '{"choices":[{"delta":{"content":" there"}}]}',
      "[DONE]",
    ]);
  });

  it("throws AbortError when the signal aborts while waiting for a chunk", async () => {
    const controller = new AbortController();
    let closed = false;
    async function* body() {
      try {
        yield encode("data: a\n\n");
        await new Promise(() => {}); // never delivers the next chunk
      } finally {
        closed = true;
      }
    }
    const seen: string[] = [];
    const run = (async () => {
      for await (const event of parseSSE(body(), { signal: controller.signal })) {
        seen.push(event.data);
        controller.abort();
      }
    })();
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(seen).toEqual(["a"]);
    expect(closed).toBe(false); // the pending read is abandoned, not awaited
  });

  it("throws at once for an already aborted signal", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      collect(parseSSE(fromChunks([encode("data: a\n\n")]), controller)),
    ).rejects.toBeInstanceOf(AbortError);
  });

  it("closes the body when the consumer stops early", async () => {
    let closed = false;
    async function* body() {
      try {
        yield encode("data: a\n\ndata: b\n\n");
        yield encode("data: c\n\n");
      } finally {
        closed = true;
      }
    }
    for await (const _ of parseSSE(body(), { signal: new AbortController().signal })) break;
    expect(closed).toBe(true);
  });
});

// ---------------------------------------------------------------- properties

const lineChar = fc
  .string({ unit: "binary", maxLength: 12 })
  .map((s) => s.replace(/[\r\n\uFEFF]/g, "x").replace(/[\uD800-\uDFFF]/gu, "s"));

const sseEvent = fc.record({
  event: fc.option(
    lineChar.filter((s) => s.length > 0 && s.trim() === s && !s.includes(":")),
    {
      nil: undefined,
    },
  ),
  data: fc.array(lineChar, { minLength: 1, maxLength: 3 }),
  comment: fc.option(lineChar, { nil: undefined }),
});
const lineEnd = fc.constantFrom("\n", "\r", "\r\n");

describe("SSE properties", () => {
  it("any split of a valid stream yields the same events as the whole stream", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(sseEvent, lineEnd), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (events, bom, cuts) => {
          let text = bom ? "\uFEFF" : "";
          for (const [e, eol] of events) {
            if (e.comment !== undefined) text += `:${e.comment}${eol}`;
            if (e.event !== undefined) text += `event: ${e.event}${eol}`;
            for (const line of e.data) text += `data: ${line}${eol}`;
            text += eol;
          }
          const bytes = encode(text);
          const whole = await collect(parseSSE(fromChunks([bytes])));
          const split = await collect(
            parseSSE(
              fromChunks(
                splitAt(
                  bytes,
                  cuts.map((c) => c % (bytes.length + 1)),
                ),
              ),
            ),
          );
          expect(split).toEqual(whole);
          expect(whole).toEqual(
            events.map(([e]) => ({ event: e.event ?? "message", data: e.data.join("\n") })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("splitting between every CR and LF changes nothing", async () => {
    const text = "data: a\r\ndata: b\r\n\r\nevent: e\r\ndata: c\r\n\r\n";
    const bytes = encode(text);
    const cuts = [...text].flatMap((ch, i) => (ch === "\r" ? [i + 1] : []));
    expect(await collect(parseSSE(fromChunks(splitAt(bytes, cuts))))).toEqual([
      { event: "message", data: "a\nb" },
      { event: "e", data: "c" },
    ]);
  });
});
