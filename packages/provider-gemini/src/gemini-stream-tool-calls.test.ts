import type { StreamEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import { GeminiStreamToolCalls, parseJsonPath } from "./gemini-stream-tool-calls.js";

describe("parseJsonPath", () => {
  it("splits dotted names, indexes and quoted names", () => {
    expect(parseJsonPath("$.a.b[2]['c d'][\"e\"]")).toEqual(["a", "b", 2, "c d", "e"]);
  });

  it("returns no segments for a path that is not a JSON path", () => {
    expect(parseJsonPath("a.b")).toEqual([]);
    expect(parseJsonPath("$..")).toEqual([]);
    expect(parseJsonPath("$")).toEqual([]);
  });
});

describe("GeminiStreamToolCalls", () => {
  it("emits a whole call as one delta with the full arguments, then the call", () => {
    const calls = new GeminiStreamToolCalls();
    const out: StreamEvent[] = [];
    calls.add({ id: "c1", name: "weather", args: { city: "Paris" } }, out);
    expect(out).toEqual([
      {
        type: "tool-call-delta",
        index: 0,
        toolCallId: "c1",
        toolName: "weather",
        argsDelta: '{"city":"Paris"}',
      },
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "c1", name: "weather", input: { city: "Paris" } },
      },
    ]);
    expect(calls.count).toBe(1);
  });

  it("assembles nested, indexed, numeric, boolean and null partial arguments", () => {
    const calls = new GeminiStreamToolCalls();
    const out: StreamEvent[] = [];
    calls.add({ id: "c1", name: "book", willContinue: true }, out);
    calls.add(
      {
        partialArgs: [
          { jsonPath: "$.trip.city", stringValue: "Ber", willContinue: true },
          { jsonPath: "$.trip.city", stringValue: "lin" },
          { jsonPath: "$.trip.nights", numberValue: 3 },
          { jsonPath: "$.guests[0].name", stringValue: "Ada" },
          { jsonPath: "$.guests[1].name", stringValue: "Bob" },
          { jsonPath: "$.breakfast", boolValue: true },
          { jsonPath: "$.note", nullValue: null },
          { jsonPath: "$.ignored" },
          { jsonPath: "nonsense", stringValue: "x" },
        ],
        willContinue: true,
      },
      out,
    );
    expect(out).toEqual([]);
    calls.add({}, out);
    expect(out[1]).toEqual({
      type: "tool-call",
      index: 0,
      toolCall: {
        id: "c1",
        name: "book",
        input: {
          trip: { city: "Berlin", nights: 3 },
          guests: [{ name: "Ada" }, { name: "Bob" }],
          breakfast: true,
          note: null,
        },
      },
    });
  });

  it("closes a call whose terminal part never came when the next head arrives", () => {
    const calls = new GeminiStreamToolCalls();
    const out: StreamEvent[] = [];
    calls.add({ id: "a", name: "first", willContinue: true }, out);
    calls.add({ id: "b", name: "second", args: {} }, out);
    expect(
      out
        .filter((e) => e.type === "tool-call")
        .map((e) => e.type === "tool-call" && e.toolCall.name),
    ).toEqual(["first", "second"]);
  });

  it("ignores argument pieces that arrive without a call head", () => {
    const calls = new GeminiStreamToolCalls();
    const out: StreamEvent[] = [];
    calls.add({ partialArgs: [{ jsonPath: "$.a", stringValue: "x" }] }, out);
    calls.close(out);
    expect(out).toEqual([]);
  });

  it("generates an id when Gemini sends none", () => {
    const calls = new GeminiStreamToolCalls();
    const out: StreamEvent[] = [];
    calls.add({ name: "f" }, out);
    const call = out[1];
    expect(call?.type === "tool-call" && call.toolCall.id).toMatch(/^call-[0-9A-Za-z]{16}$/);
  });
});
