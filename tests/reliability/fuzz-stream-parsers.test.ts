import { isLLMError, type JsonValue, parseNDJSON, parseSSE, type SSEEvent } from "@llm/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunked, cutsArb, iterate, wireText } from "./support/chunks.js";
import { fuzzParams } from "./support/fuzz.js";

const RUNS = 300;

type Outcome<T> = { ok: true; values: T[] } | { ok: false; error: unknown };

async function collect<T>(source: AsyncIterable<T>): Promise<Outcome<T>> {
  const values: T[] = [];
  try {
    for await (const value of source) values.push(value);
    return { ok: true, values };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Only what the SSE spec fixes whatever the implementation: the event type and its data. */
const essence = (events: SSEEvent[]) => events.map(({ event, data }) => ({ event, data }));

const lineText = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[\r\n]/.test(s));
const sseEvent = fc.record({
  event: fc.option(
    lineText.filter((s) => !s.startsWith(" ")),
    { nil: undefined },
  ),
  lines: fc.array(lineText, { minLength: 1, maxLength: 3 }),
  comment: fc.option(lineText, { nil: undefined }),
  eol: fc.constantFrom("\n", "\r\n", "\r"),
});

describe("parseSSE on outside input", () => {
  it("yields events or throws an LLMError for any bytes in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(wireText, cutsArb, async (text, cuts) => {
        const outcome = await collect(parseSSE(iterate(chunked(text, cuts))));
        if (!outcome.ok) expect(isLLMError(outcome.error), String(outcome.error)).toBe(true);
        else for (const e of outcome.values) expect(typeof e.data).toBe("string");
      }),
      fuzzParams(RUNS),
    );
  });

  it("gives the same events whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(wireText, cutsArb, async (text, cuts) => {
        const whole = await collect(parseSSE(iterate(chunked(text, []))));
        const split = await collect(parseSSE(iterate(chunked(text, cuts))));
        expect(split.ok).toBe(whole.ok);
        if (whole.ok && split.ok) expect(split.values).toEqual(whole.values);
      }),
      fuzzParams(RUNS),
    );
  });

  it("reads back every well-formed event it is sent, split anywhere", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sseEvent, { maxLength: 8 }), cutsArb, async (events, cuts) => {
        const text = events
          .map(
            ({ event, lines, comment, eol }) =>
              [
                ...(comment === undefined ? [] : [`:${comment}`]),
                ...(event === undefined ? [] : [`event: ${event}`]),
                ...lines.map((line) => `data: ${line}`),
                "",
              ].join(eol) + eol,
          )
          .join("");
        const outcome = await collect(parseSSE(iterate(chunked(text, cuts))));
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        expect(essence(outcome.values)).toEqual(
          events.map(({ event, lines }) => ({ event: event ?? "message", data: lines.join("\n") })),
        );
      }),
      fuzzParams(RUNS),
    );
  });
});

describe("parseNDJSON on outside input", () => {
  it("yields JSON values or throws an LLMError for any bytes in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(wireText, cutsArb, async (text, cuts) => {
        const outcome = await collect(parseNDJSON(iterate(chunked(text, cuts))));
        if (!outcome.ok) expect(isLLMError(outcome.error), String(outcome.error)).toBe(true);
      }),
      fuzzParams(RUNS),
    );
  });

  it("reads back every JSON line it is sent, split anywhere", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 10 }),
        fc.constantFrom("\n", "\r\n"),
        cutsArb,
        async (values, eol, cuts) => {
          const text = values.map((v) => JSON.stringify(v) + eol).join("");
          const outcome = await collect<JsonValue>(parseNDJSON(iterate(chunked(text, cuts))));
          expect(outcome.ok).toBe(true);
          if (outcome.ok)
            expect(outcome.values).toEqual(values.map((v) => JSON.parse(JSON.stringify(v))));
        },
      ),
      fuzzParams(RUNS),
    );
  });
});
