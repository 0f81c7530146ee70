import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fullResponse,
  fullStream,
  poisonedAnswers,
  responseAnswer,
  streamAnswer,
} from "./answer-samples.js";
import { answerToEvents, answerToResponse, cachedAnswerProblem } from "./cached-answer.js";
import { answerProblem } from "./validate-answer.js";

const HIT = { type: "cache" as const, level: "l2", key: "k", ageMs: 0 };

describe("answerProblem", () => {
  it("accepts a full response answer and a full recorded stream", () => {
    expect(answerProblem(responseAnswer())).toBeUndefined();
    expect(answerProblem(streamAnswer())).toBeUndefined();
  });

  it.each(poisonedAnswers())("rejects $name, naming the path", ({ answer, path }) => {
    expect(answerProblem(answer)).toMatch(new RegExp(`^${path.replace(/[[\].]/g, "\\$&")}`));
  });

  it("names what was expected and the kind found, never the content", () => {
    const answer = responseAnswer({ ...fullResponse(), toolCalls: [null as never] });
    expect(answerProblem(answer)).toBe("answer.response.toolCalls[0]: expected object, got null");
    const secret = responseAnswer({
      ...fullResponse(),
      id: { leaked: "sk-secret-value" } as never,
    });
    expect(answerProblem(secret)).toBe("answer.response.id: expected string, got object");
  });

  it("rejects a stream without a start first or a finish last, and a second start", () => {
    const events = fullStream();
    expect(answerProblem(streamAnswer(events.slice(1)))).toMatch(
      /^answer\.events\[0\]\.type: expected "start" first/,
    );
    expect(answerProblem(streamAnswer(events.slice(0, -1)))).toMatch(
      /^answer\.events\[6\]\.type: expected "finish" last/,
    );
    expect(answerProblem(streamAnswer([events[0]!, ...events]))).toMatch(
      /^answer\.events\[1\]\.type: a second "start"/,
    );
    expect(answerProblem(streamAnswer([]))).toMatch(/^answer\.events: empty/);
  });

  it("rejects an in-band error event, which is never stored", () => {
    const events = fullStream();
    events.splice(2, 0, { type: "error", error: {} as never });
    expect(answerProblem(streamAnswer(events))).toMatch(
      /^answer\.events\[2\]\.type: an "error" event/,
    );
  });

  it("rejects usage counts that are not non-negative numbers", () => {
    const bad = responseAnswer({
      ...fullResponse(),
      usage: { inputTokens: -1, outputTokens: 0, totalTokens: 0 },
    });
    expect(answerProblem(bad)).toBe(
      "answer.response.usage.inputTokens: expected a non-negative integer, got -1",
    );
  });

  it("rejects absurd counts and depths against the limits", () => {
    const deep: unknown = Array.from({ length: 80 }).reduce<unknown>((inner) => [inner], 1);
    const call = { id: "c", name: "n", input: deep };
    expect(
      answerProblem(responseAnswer({ ...fullResponse(), toolCalls: [call as never] })),
    ).toMatch(/nested deeper than 64$/);
    const many = responseAnswer({
      ...fullResponse(),
      content: Array(11).fill({ type: "text", text: "x" }),
    });
    expect(answerProblem(many, { maxParts: 10 })).toBe(
      "answer.response.content: 11 parts, more than 10",
    );
    const events = fullStream();
    expect(answerProblem(streamAnswer(events), { maxEvents: 4 })).toMatch(/8 events, more than 4$/);
    const wide = responseAnswer({ ...fullResponse(), providerMetadata: { x: Array(50).fill(1) } });
    expect(answerProblem(wide, { maxJsonNodes: 20 })).toMatch(/more JSON nodes than allowed$/);
  });

  it("rejects class instances and non-finite numbers inside JSON values", () => {
    const dated = { id: "c", name: "n", input: { when: new Date(0) } };
    expect(answerProblem(responseAnswer({ ...fullResponse(), toolCalls: [dated as never] }))).toBe(
      "answer.response.toolCalls[0].input.when: expected plain object, got object",
    );
    const nan = { id: "c", name: "n", input: Number.NaN };
    expect(answerProblem(responseAnswer({ ...fullResponse(), toolCalls: [nan as never] }))).toBe(
      "answer.response.toolCalls[0].input: expected a finite number",
    );
  });
});

describe("replaying an answer", () => {
  it("puts a stored response's provider metadata on the replayed finish event", () => {
    const response = { ...fullResponse(), providerMetadata: { refusal: "no", filter: { a: 1 } } };
    const events = answerToEvents(responseAnswer(response), HIT);
    expect(events.at(-1)).toMatchObject({
      type: "finish",
      providerMetadata: { refusal: "no", filter: { a: 1 } },
    });
    expect(answerToResponse(streamAnswer(events), HIT).providerMetadata).toEqual(
      response.providerMetadata,
    );
  });

  it("replays no metadata for a response that had none", () => {
    const { providerMetadata: _none, ...response } = fullResponse();
    expect(answerToEvents(responseAnswer(response), HIT).at(-1)).not.toHaveProperty(
      "providerMetadata",
    );
  });

  it("keeps a recorded stream's finish metadata on a generate hit", () => {
    expect(answerToResponse(streamAnswer(), HIT).providerMetadata).toEqual({
      stopDetails: { type: "refusal", category: null, severity: [1, 2] },
    });
  });
});

describe("cachedAnswerProblem", () => {
  it("checks an object once, then trusts that same object", () => {
    const answer = responseAnswer();
    expect(cachedAnswerProblem(answer)).toBeUndefined();
    // Damage it behind the cache's back: the trusted object is not checked again…
    (answer as { response: { usage: unknown } }).response.usage = null;
    expect(cachedAnswerProblem(answer)).toBeUndefined();
    // …but a copy (what a decode produces) is.
    expect(cachedAnswerProblem(structuredClone(answer))).toMatch(
      /usage: expected object, got null/,
    );
  });
});

/** Any answer, JSON-shaped, as it would come back from a store. */
const validAnswer = fc
  .constantFrom(responseAnswer(), streamAnswer())
  .map((a) => JSON.parse(JSON.stringify(a)) as unknown);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...paths(v, [...prefix, i]));
  } else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function mutate(value: Json, path: (string | number)[], replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const [head, ...rest] = path;
  const copy: Record<string | number, Json> | Json[] = Array.isArray(value)
    ? [...value]
    : { ...(value as object) };
  const record = copy as Record<string | number, Json>;
  if (rest.length === 0 && replacement === undefined) {
    if (Array.isArray(copy)) copy.splice(Number(head), 1);
    else delete record[head!];
  } else record[head!] = mutate(record[head!] ?? null, rest, replacement);
  return copy as Json;
}

describe("answerProblem on mutated answers (property)", () => {
  it("either rejects with a reason or accepts an answer that replays and reads without throwing", () => {
    const mutated = validAnswer.chain((answer) => {
      const all = paths(answer as Json);
      return fc
        .tuple(
          fc.nat({ max: all.length - 1 }),
          fc.oneof(
            fc.constant(undefined),
            fc.constantFrom<Json>(null, "", 0, -1, 1.5, true, [], {}, [null], { type: "finish" }),
            fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
          ),
        )
        .map(([i, replacement]) => mutate(answer as Json, all[i]!, replacement));
    });
    fc.assert(
      fc.property(mutated, (value) => {
        const problem = answerProblem(value);
        if (problem !== undefined) {
          expect(problem).toMatch(/^answer[.\w[\]]*: /);
          return;
        }
        // Accepted: everything a hit does with it must work.
        const answer = value as unknown as Parameters<typeof answerToResponse>[0];
        const response = answerToResponse(answer, HIT);
        expect(typeof response.text).toBe("string");
        expect(answerToEvents(answer, HIT).length).toBeGreaterThan(0);
        expect(response.usage.inputTokens + response.usage.outputTokens).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2_000 },
    );
  });
});
