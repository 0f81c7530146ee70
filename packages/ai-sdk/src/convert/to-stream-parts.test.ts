import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { NetworkError, type StreamEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import { toStreamParts } from "./to-stream-parts.js";

const usage = { inputTokens: 3, outputTokens: 2, totalTokens: 5 };

async function partsOf(
  events: AsyncIterable<StreamEvent>,
  mapError?: (error: unknown) => unknown,
): Promise<LanguageModelV3StreamPart[]> {
  const out: LanguageModelV3StreamPart[] = [];
  const reader = toStreamParts(events, mapError).getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

async function* from(events: StreamEvent[], failWith?: unknown): AsyncGenerator<StreamEvent> {
  yield* events;
  if (failWith !== undefined) throw failWith;
}

describe("toStreamParts", () => {
  it("groups deltas into blocks and closes each before the next kind starts", async () => {
    const parts = await partsOf(
      from([
        { type: "start", id: "r", model: "m", provider: "p", origin: { type: "upstream" } },
        { type: "reasoning-delta", delta: "a" },
        { type: "text-delta", delta: "b" },
        { type: "text-delta", delta: "c" },
        { type: "tool-call-delta", index: 0, toolCallId: "t1", toolName: "w", argsDelta: "{}" },
        { type: "tool-call", index: 0, toolCall: { id: "t1", name: "w", input: {} } },
        { type: "tool-call", index: 1, toolCall: { id: "t2", name: "w", input: { x: 1 } } },
        { type: "usage", usage },
        { type: "finish", finishReason: "tool-calls", usage },
      ]),
    );
    expect(parts.map((part) => part.type)).toEqual([
      "stream-start",
      "response-metadata",
      "reasoning-start",
      "reasoning-delta",
      "reasoning-end",
      "text-start",
      "text-delta",
      "text-delta",
      "text-end",
      "tool-input-start",
      "tool-input-delta",
      "tool-input-end",
      "tool-call",
      "tool-call",
      "finish",
    ]);
    expect(parts.at(-2)).toEqual({
      type: "tool-call",
      toolCallId: "t2",
      toolName: "w",
      input: '{"x":1}',
    });
    expect(parts.at(-1)).toMatchObject({
      finishReason: { unified: "tool-calls", raw: undefined },
      providerMetadata: { llmKit: { origin: { type: "upstream" } } },
    });
  });

  it("reads the finish event's metadata as a generated response's: its cacheKey, nothing else", async () => {
    const parts = await partsOf(
      from([
        {
          type: "finish",
          finishReason: "stop",
          usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
          providerMetadata: { cacheKey: "k1", refusal: "no" },
        },
      ]),
    );
    const finish = parts.at(-1) as Extract<LanguageModelV3StreamPart, { type: "finish" }>;
    expect(finish.type).toBe("finish");
    expect(finish.providerMetadata).toEqual({
      llmKit: { origin: { type: "upstream" }, cacheKey: "k1" },
    });
  });

  it("puts the start event's requestId on finish, as a generated result has it", async () => {
    const parts = await partsOf(
      from([
        {
          type: "start",
          id: "a",
          model: "m",
          provider: "p",
          requestId: "req_1",
          origin: { type: "upstream" },
        },
        {
          type: "finish",
          finishReason: "stop",
          usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        },
      ]),
    );
    expect(parts.at(-1)).toMatchObject({
      providerMetadata: { llmKit: { origin: { type: "upstream" }, requestId: "req_1" } },
    });
  });

  it("closes an open block before an in-band error event", async () => {
    const error = new NetworkError("reset");
    const parts = await partsOf(
      from([
        { type: "text-delta", delta: "x" },
        { type: "error", error },
      ]),
    );
    expect(parts.slice(-2)).toEqual([
      { type: "text-end", id: "0" },
      { type: "error", error },
    ]);
  });

  it("ends with an error part, mapped, when the events throw", async () => {
    const error = new NetworkError("reset");
    const parts = await partsOf(from([], error), (thrown) => ({ wrapped: thrown }));
    expect(parts.at(-1)).toEqual({ type: "error", error: { wrapped: error } });
  });

  it("stops the events when the consumer cancels", async () => {
    let finished = false;
    async function* endless(): AsyncGenerator<StreamEvent> {
      try {
        while (true) yield { type: "text-delta", delta: "x" };
      } finally {
        finished = true;
      }
    }
    const reader = toStreamParts(endless()).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
