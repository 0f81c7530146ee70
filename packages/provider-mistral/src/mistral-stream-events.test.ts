import { NetworkError, ParseError, type StreamEvent } from "@llm/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MistralStreamEvents } from "./mistral-stream-events.js";

function run(payloads: string[], headers: Record<string, string> = {}): StreamEvent[] {
  const handler = new MistralStreamEvents("mistral", "mistral-small-latest", headers);
  const out: StreamEvent[] = [];
  for (const payload of payloads) handler.push(payload, out);
  handler.end(out);
  return out;
}

const chunk = (delta: unknown, finish: string | null = null, extra = {}) =>
  JSON.stringify({
    id: "c1",
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  });

describe("MistralStreamEvents", () => {
  it("assembles OpenAI-style argument fragments of one call (id only on the first)", () => {
    const events = run([
      chunk({
        tool_calls: [{ id: "aB3dE5gH7", function: { name: "weather", arguments: '{"ci' } }],
      }),
      chunk({ tool_calls: [{ function: { arguments: 'ty":"Paris"}' } }] }),
      chunk({}, "tool_calls"),
    ]);
    expect(
      events
        .filter((e) => e.type === "tool-call-delta")
        .map((e) => e.type === "tool-call-delta" && e.argsDelta),
    ).toEqual(['{"ci', 'ty":"Paris"}']);
    expect(events.filter((e) => e.type === "tool-call")).toEqual([
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "aB3dE5gH7", name: "weather", input: { city: "Paris" } },
      },
    ]);
  });

  it("reads arguments sent as an object, and a later call with the same index as a new one", () => {
    const events = run([
      chunk(
        {
          tool_calls: [
            { id: "one111111", function: { name: "a", arguments: { x: 1 } }, index: 0 },
            { id: "two222222", function: { name: "b", arguments: "{}" }, index: 0 },
          ],
        },
        "tool_calls",
      ),
      "[DONE]",
    ]);
    expect(
      events.filter((e) => e.type === "tool-call").map((e) => e.type === "tool-call" && e.toolCall),
    ).toEqual([
      { id: "one111111", name: "a", input: { x: 1 } },
      { id: "two222222", name: "b", input: {} },
    ]);
  });

  it("ignores payloads after [DONE] and finishes as other when no reason came", () => {
    const events = run([chunk({ content: "Hi" }), "[DONE]", "not json at all"]);
    expect(events.map((e) => e.type)).toEqual(["start", "text-delta", "usage", "finish"]);
    expect(events.at(-1)).toEqual({
      type: "finish",
      finishReason: "other",
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    });
  });

  it("reads thinking chunks as reasoning and skips empty text chunks", () => {
    const events = run([
      chunk({ content: [{ type: "thinking", thinking: [{ type: "text", text: "hmm" }] }] }),
      chunk({
        content: [
          { type: "text", text: "" },
          { type: "text", text: "Yes" },
        ],
      }),
      chunk({
        content: [
          { type: "thinking", thinking: "plain" },
          { type: "thinking", thinking: [] },
        ],
      }),
      chunk({ content: "" }, "stop", {
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      }),
    ]);
    expect(events.filter((e) => e.type !== "start")).toEqual([
      { type: "reasoning-delta", delta: "hmm" },
      { type: "text-delta", delta: "Yes" },
      { type: "reasoning-delta", delta: "plain" },
      { type: "usage", usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } },
      {
        type: "finish",
        finishReason: "stop",
        rawFinishReason: "stop",
        usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
      },
    ]);
  });

  it("carries the request id and generates ids a chunk leaves out", () => {
    const events = run(
      [JSON.stringify({ choices: [{ delta: { content: "x" }, finish_reason: "stop" }] })],
      {
        "x-request-id": "req-1",
      },
    );
    expect(events[0]).toMatchObject({
      type: "start",
      model: "mistral-small-latest",
      requestId: "req-1",
    });
    expect(typeof (events[0] as { id: string }).id).toBe("string");
  });

  it("names the stream event that is not an object", () => {
    expect(() => run([chunk({ content: "a" }), "[1,2]"])).toThrow(ParseError);
    let caught: unknown;
    try {
      run(["42"]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: "ParseError", where: "stream event 1" });
  });

  it("rejects a body that sent no chunk, naming its content type", () => {
    expect(() => run([], { "content-type": "application/json" })).toThrow(
      /without sending a chunk \(content-type: application\/json\)/,
    );
    expect(() => run([])).toThrow(/content-type: none/);
  });

  it("rejects a stream cut before finish_reason and [DONE]", () => {
    expect(() => run([chunk({ content: "a" })])).toThrow(NetworkError);
  });

  it("skips a chunk with no choices (a usage-only chunk)", () => {
    const events = run([
      chunk({ content: "a" }, "stop"),
      JSON.stringify({ id: "c1", choices: [], usage: { prompt_tokens: 1, completion_tokens: 1 } }),
    ]);
    expect(events.at(-1)).toMatchObject({
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    });
  });
});

describe("MistralStreamEvents (properties)", () => {
  it("joins any split of the text and of a call's arguments back to the same answer", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1 }), { maxLength: 8 }),
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 5 }),
          fc.oneof(fc.integer(), fc.string()),
        ),
        fc.integer({ min: 1, max: 6 }),
        (pieces, args, cuts) => {
          const argsText = JSON.stringify(args);
          const size = Math.max(1, Math.ceil(argsText.length / cuts));
          const fragments: string[] = [];
          for (let i = 0; i < argsText.length; i += size)
            fragments.push(argsText.slice(i, i + size));
          const payloads = [
            ...pieces.map((piece) => chunk({ content: piece })),
            ...fragments.map((fragment, i) =>
              chunk({
                tool_calls: [
                  i === 0
                    ? { id: "aB3dE5gH7", function: { name: "f", arguments: fragment } }
                    : { function: { arguments: fragment } },
                ],
              }),
            ),
            chunk({}, "tool_calls"),
            "[DONE]",
          ];
          const events = run(payloads);
          const text = events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");
          expect(text).toBe(pieces.join(""));
          const calls = events.flatMap((e) => (e.type === "tool-call" ? [e.toolCall] : []));
          expect(calls).toEqual([{ id: "aB3dE5gH7", name: "f", input: args }]);
          expect(events.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
        },
      ),
      { numRuns: 200 },
    );
  });
});
