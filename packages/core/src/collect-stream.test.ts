import { describe, expect, it } from "vitest";
import { collectStream, StreamAccumulator } from "./collect-stream.js";
import { NetworkError } from "./errors/index.js";
import type { StreamEvent } from "./stream-event.js";

const usage = { inputTokens: 3, outputTokens: 5, totalTokens: 8 };

async function* events(list: StreamEvent[], error?: unknown): AsyncGenerator<StreamEvent> {
  yield* list;
  if (error) throw error;
}

describe("collectStream", () => {
  it("folds text, reasoning, tool calls, usage and finish into a ChatResponse", async () => {
    const response = await collectStream(
      events([
        {
          type: "start",
          id: "r1",
          model: "m",
          provider: "p",
          requestId: "req",
          origin: { type: "upstream" },
        },
        { type: "reasoning-delta", delta: "think " },
        { type: "reasoning-delta", delta: "more", signature: "sig" },
        { type: "text-delta", delta: "Hel" },
        { type: "text-delta", delta: "lo" },
        { type: "tool-call-delta", index: 0, toolCallId: "c1", toolName: "get", argsDelta: '{"a"' },
        { type: "tool-call", index: 0, toolCall: { id: "c1", name: "get", input: { a: 1 } } },
        { type: "usage", usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } },
        { type: "finish", finishReason: "tool-calls", rawFinishReason: "tool_calls", usage },
      ]),
    );
    expect(response).toEqual({
      id: "r1",
      model: "m",
      provider: "p",
      text: "Hello",
      content: [
        { type: "reasoning", text: "think more", signature: "sig" },
        { type: "text", text: "Hello" },
        { type: "tool-call", toolCallId: "c1", toolName: "get", input: { a: 1 } },
      ],
      toolCalls: [{ id: "c1", name: "get", input: { a: 1 } }],
      reasoning: "think more",
      finishReason: "tool-calls",
      rawFinishReason: "tool_calls",
      usage,
      requestId: "req",
      origin: { type: "upstream" },
    });
  });

  it("copies the finish event's provider metadata onto the response", async () => {
    const providerMetadata = { refusal: "I can't help with that.", filter: { hate: false } };
    const response = await collectStream(
      events([
        { type: "start", id: "r1", model: "m", provider: "p", origin: { type: "upstream" } },
        { type: "finish", finishReason: "content-filter", usage, providerMetadata },
      ]),
    );
    expect(response.providerMetadata).toEqual(providerMetadata);
    expect(response.finishReason).toBe("content-filter");
  });

  it("reports finishReason other for a stream without finish", async () => {
    const acc = new StreamAccumulator();
    acc.add({ type: "text-delta", delta: "x" });
    acc.add({ type: "error", error: new NetworkError("x") });
    expect(acc.finished).toBe(false);
    expect(acc.toResponse()).toMatchObject({
      text: "x",
      finishReason: "other",
      usage: { totalTokens: 0 },
    });
  });

  it("throws what the stream throws", async () => {
    const error = new NetworkError("reset");
    await expect(collectStream(events([{ type: "text-delta", delta: "x" }], error))).rejects.toBe(
      error,
    );
  });
});
