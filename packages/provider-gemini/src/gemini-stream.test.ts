import type { StreamEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import type { GeminiResponse } from "./gemini-api.js";
import { GeminiStreamState } from "./gemini-stream.js";

function run(chunks: GeminiResponse[]): StreamEvent[] {
  const state = new GeminiStreamState({ model: "gemini-x", requestId: "req-1" });
  const out: StreamEvent[] = [];
  for (const chunk of chunks) state.chunk(chunk, out);
  state.end(out);
  return out;
}

describe("GeminiStreamState", () => {
  it("starts with the first chunk's response id and model version, and the request id", () => {
    const events = run([
      { responseId: "r1", modelVersion: "gemini-2.5-flash-001", candidates: [] },
    ]);
    expect(events[0]).toEqual({
      type: "start",
      id: "r1",
      model: "gemini-2.5-flash-001",
      provider: "gemini",
      requestId: "req-1",
      origin: { type: "upstream" },
    });
  });

  it("emits thought text as reasoning and signs it with the signature of a later part", () => {
    const events = run([
      { candidates: [{ content: { parts: [{ text: "Plan.", thought: true }] } }] },
      {
        candidates: [
          {
            content: { parts: [{ text: "Answer.", thoughtSignature: "sig-1" }] },
            finishReason: "STOP",
          },
        ],
      },
    ]);
    expect(events.slice(1, 4)).toEqual([
      { type: "reasoning-delta", delta: "Plan." },
      { type: "text-delta", delta: "Answer." },
      { type: "reasoning-delta", delta: "", signature: "sig-1" },
    ]);
  });

  it("keeps a signature that arrives on a thought part", () => {
    const events = run([
      {
        candidates: [
          {
            content: { parts: [{ text: "Plan.", thought: true, thoughtSignature: "s" }] },
            finishReason: "STOP",
          },
        ],
      },
    ]);
    expect(events[1]).toEqual({ type: "reasoning-delta", delta: "Plan.", signature: "s" });
  });

  it("drops signatures when no reasoning was streamed, and skips empty text parts", () => {
    const events = run([
      {
        candidates: [
          { content: { parts: [{ text: "", thoughtSignature: "sig" }] }, finishReason: "STOP" },
        ],
      },
    ]);
    expect(events.map((e) => e.type)).toEqual(["start", "usage", "finish"]);
  });

  it("reports a prompt blocked before any candidate as content-filter", () => {
    const events = run([
      { promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 3 } },
    ]);
    expect(events.at(-1)).toEqual({
      type: "finish",
      finishReason: "content-filter",
      rawFinishReason: "SAFETY",
      usage: { inputTokens: 3, outputTokens: 0, totalTokens: 3 },
    });
  });

  it("closes a streamed-arguments call whose terminal part never came at the end", () => {
    const events = run([
      {
        candidates: [
          { content: { parts: [{ functionCall: { id: "c", name: "f", willContinue: true } }] } },
        ],
      },
      {
        candidates: [
          {
            content: {
              parts: [
                {
                  functionCall: {
                    partialArgs: [{ jsonPath: "$.q", stringValue: "x" }],
                    willContinue: true,
                  },
                },
              ],
            },
            finishReason: "STOP",
          },
        ],
      },
    ]);
    expect(events.filter((e) => e.type === "tool-call")).toEqual([
      { type: "tool-call", index: 0, toolCall: { id: "c", name: "f", input: { q: "x" } } },
    ]);
    expect(events.at(-1)).toMatchObject({ finishReason: "tool-calls" });
  });

  it("emits start, usage and finish even for a stream without chunks", () => {
    const events = run([]);
    expect(events.map((e) => e.type)).toEqual(["start", "usage", "finish"]);
    expect(events[0]).toMatchObject({ model: "gemini-x" });
    expect(events.at(-1)).toMatchObject({ finishReason: "other" });
  });
});
