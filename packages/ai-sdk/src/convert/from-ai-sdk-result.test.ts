import type { LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import { APICallError } from "@ai-sdk/provider";
import { RateLimitError, type StreamEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import { fromGenerateResult, fromStreamParts } from "./from-ai-sdk-result.js";

const model = { provider: "test.chat", modelId: "m-1" };
const usage: LanguageModelV3Usage = {
  inputTokens: { total: 10, noCache: 6, cacheRead: 4, cacheWrite: undefined },
  outputTokens: { total: 5, text: 3, reasoning: 2 },
};
const finish: LanguageModelV3StreamPart = {
  type: "finish",
  usage,
  finishReason: { unified: "tool-calls", raw: "tool_calls" },
};

async function events(parts: LanguageModelV3StreamPart[]): Promise<StreamEvent[]> {
  const stream = new ReadableStream<LanguageModelV3StreamPart>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
  const out: StreamEvent[] = [];
  for await (const event of fromStreamParts(stream, model)) out.push(event);
  return out;
}

describe("fromGenerateResult", () => {
  it("keeps text, reasoning and tool calls, and skips what llm-kit has no type for", () => {
    const response = fromGenerateResult(
      {
        content: [
          { type: "reasoning", text: "think" },
          { type: "text", text: "Hello" },
          { type: "tool-call", toolCallId: "c1", toolName: "t", input: '{"a":1}' },
          { type: "tool-call", toolCallId: "c2", toolName: "t", input: "" },
          { type: "tool-call", toolCallId: "c3", toolName: "t", input: "not json" },
          {
            type: "tool-call",
            toolCallId: "c4",
            toolName: "search",
            input: "{}",
            providerExecuted: true,
          },
          { type: "source", sourceType: "url", id: "s", url: "https://x.test" },
        ],
        finishReason: { unified: "tool-calls", raw: undefined },
        usage,
        warnings: [],
      },
      model,
    );
    expect(response).toMatchObject({
      model: "m-1",
      provider: "test.chat",
      text: "Hello",
      reasoning: "think",
      finishReason: "tool-calls",
      usage: {
        inputTokens: 10,
        outputTokens: 5,
        totalTokens: 15,
        cachedInputTokens: 4,
        reasoningTokens: 2,
      },
    });
    expect(response.toolCalls.map((call) => call.input)).toEqual([{ a: 1 }, {}, "not json"]);
    expect(response.rawFinishReason).toBeUndefined();
    expect(response.id).toMatch(/^aisdk/);
  });
});

describe("fromStreamParts", () => {
  it("turns response metadata, deltas, tool inputs and finish into llm-kit events", async () => {
    const out = await events([
      { type: "stream-start", warnings: [] },
      { type: "response-metadata", id: "r1", modelId: "m-2" },
      { type: "reasoning-start", id: "0" },
      { type: "reasoning-delta", id: "0", delta: "hm" },
      { type: "reasoning-end", id: "0" },
      { type: "text-delta", id: "1", delta: "Hi" },
      { type: "tool-input-start", id: "c1", toolName: "weather" },
      { type: "tool-input-delta", id: "c1", delta: '{"city":' },
      { type: "tool-input-delta", id: "unknown", delta: "ignored" },
      { type: "tool-input-delta", id: "c1", delta: '"Oslo"}' },
      { type: "tool-call", toolCallId: "c1", toolName: "weather", input: '{"city":"Oslo"}' },
      { type: "tool-call", toolCallId: "c2", toolName: "other", input: "{}" },
      { type: "tool-input-start", id: "p1", toolName: "search", providerExecuted: true },
      {
        type: "tool-call",
        toolCallId: "p1",
        toolName: "search",
        input: "{}",
        providerExecuted: true,
      },
      { type: "raw", rawValue: {} },
      finish,
    ]);
    expect(out).toEqual([
      {
        type: "start",
        id: "r1",
        model: "m-2",
        provider: "test.chat",
        origin: { type: "upstream" },
      },
      { type: "reasoning-delta", delta: "hm" },
      { type: "text-delta", delta: "Hi" },
      {
        type: "tool-call-delta",
        index: 0,
        toolCallId: "c1",
        toolName: "weather",
        argsDelta: '{"city":',
      },
      {
        type: "tool-call-delta",
        index: 0,
        toolCallId: "c1",
        toolName: "weather",
        argsDelta: '"Oslo"}',
      },
      {
        type: "tool-call",
        index: 0,
        toolCall: { id: "c1", name: "weather", input: { city: "Oslo" } },
      },
      { type: "tool-call", index: 1, toolCall: { id: "c2", name: "other", input: {} } },
      { type: "usage", usage: expect.objectContaining({ inputTokens: 10 }) },
      expect.objectContaining({
        type: "finish",
        finishReason: "tool-calls",
        rawFinishReason: "tool_calls",
      }),
    ]);
  });

  it("makes a start event when content or the finish comes before any metadata", async () => {
    const contentFirst = await events([{ type: "text-delta", id: "0", delta: "x" }, finish]);
    expect(contentFirst[0]).toMatchObject({ type: "start", model: "m-1", provider: "test.chat" });
    const empty = await events([
      { type: "finish", usage, finishReason: { unified: "stop", raw: undefined } },
    ]);
    expect(empty.map((event) => event.type)).toEqual(["start", "usage", "finish"]);
    expect(empty[2]).not.toHaveProperty("rawFinishReason");
  });

  it("throws an in-band error part as an LLMError", async () => {
    const error = new APICallError({
      message: "slow down",
      url: "https://x.test",
      requestBodyValues: {},
      statusCode: 429,
      responseHeaders: { "Retry-After": "2" },
      responseBody: '{"error":{"message":"slow down"}}',
    });
    await expect(
      events([
        { type: "text-delta", id: "0", delta: "x" },
        { type: "error", error },
      ]),
    ).rejects.toBeInstanceOf(RateLimitError);
  });
});
