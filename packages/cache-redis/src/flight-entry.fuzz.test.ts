import { streamEventProblem } from "@llm/cache";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFlightEntry } from "./flight-entry.js";

const token = "0b7c4f3e-1111-4a4a-9c9c-123456789abc";
const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_125);

/** Real events of a stream, the seeds whose JSON gets damaged. */
const EVENTS: unknown[] = [
  { type: "start", id: "r1", model: "m", provider: "openai" },
  { type: "text-delta", delta: "hi" },
  { type: "tool-call-delta", index: 0, id: "c1", name: "f", argumentsDelta: '{"a"' },
  { type: "tool-call", toolCall: { id: "c1", name: "f", arguments: { a: 1 } } },
  {
    type: "finish",
    finishReason: "stop",
    usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
  },
];

/** A JSON value with one place replaced by something of another type, or removed. */
function damaged(value: unknown): fc.Arbitrary<unknown> {
  const replacement = fc.oneof(
    fc.constantFrom(null, "", 0, -1, 1e308, true, [], {}, "\u0000", undefined),
    fc.jsonValue({ maxDepth: 2 }),
  );
  if (value === null || typeof value !== "object") return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  return fc.oneof(
    replacement,
    fc
      .constantFrom(...keys)
      .chain((key) =>
        damaged((value as Record<string, unknown>)[key]).map((v) =>
          Array.isArray(value)
            ? value.map((old, i) => (String(i) === key ? v : old))
            : { ...value, [key]: v },
        ),
      ),
  );
}

const fieldValue = fc.oneof(
  fc.constantFrom("s", "e", "o", "d", "a", "1", "0", "", token),
  fc.string({ maxLength: 80 }),
  fc
    .constantFrom(...EVENTS)
    .chain(damaged)
    .map((v) => JSON.stringify(v) ?? ""),
);

/** A stream entry's flat `[name, value, …]` list: a real one with its data damaged, or any fields at all. */
const entryFields = fc.oneof(
  fc
    .constantFrom(...EVENTS)
    .chain(damaged)
    .map((event) => ["t", "e", "k", token, "d", JSON.stringify(event) ?? "null"]),
  fc
    .array(fc.tuple(fc.constantFrom("t", "k", "d", "s", "x"), fieldValue), { maxLength: 5 })
    .map((pairs) => pairs.flat()),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 9 }),
);

describe("decodeFlightEntry, fuzzed", () => {
  it("returns a valid entry or says what is wrong, and never throws", () => {
    const seen = { ok: 0, refused: 0 };
    fc.assert(
      fc.property(entryFields, (fields) => {
        const entry = decodeFlightEntry(fields, 4096);
        if (typeof entry === "string") {
          expect(entry.length).toBeGreaterThan(0);
          seen.refused++;
          return;
        }
        expect(entry.token.length).toBeGreaterThan(0);
        if (entry.type === "event") expect(streamEventProblem(entry.event)).toBeUndefined();
        seen.ok++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
