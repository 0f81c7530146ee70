import { NetworkError, ParseError, type StreamEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import { AnthropicStreamEvents } from "./anthropic-stream-events.js";

/** Runs payloads through the state machine (the wire path is covered by the testkit tests). */
function run(payloads: unknown[], jsonTool = false): StreamEvent[] {
  const events = new AnthropicStreamEvents("claude-test", { "request-id": "req_1" }, jsonTool);
  const out: StreamEvent[] = [];
  for (const p of payloads) events.push(typeof p === "string" ? p : JSON.stringify(p), out);
  events.end(out);
  return out;
}

const start = (id = "msg_1") => ({
  type: "message_start",
  message: { id, content: [], usage: { input_tokens: 5, output_tokens: 1 } },
});
const stop = [
  { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 9 } },
  { type: "message_stop" },
];

describe("AnthropicStreamEvents", () => {
  it("puts message_delta's stop_details on finish, kept when a later delta has none", () => {
    const stopDetails = { type: "refusal", category: "cyber" };
    const out = run([
      start(),
      { type: "message_delta", delta: { stop_reason: "refusal", stop_details: stopDetails } },
      { type: "message_delta", delta: { stop_reason: null }, usage: { output_tokens: 3 } },
      { type: "message_stop" },
    ]);
    expect(out.at(-1)).toEqual({
      type: "finish",
      finishReason: "content-filter",
      rawFinishReason: "refusal",
      usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 },
      providerMetadata: { stopDetails },
    });
  });

  it("emits text that arrives whole in content_block_start and skips unknown blocks and deltas", () => {
    const out = run([
      start(),
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "Hi " } },
      { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: {} } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "there" } },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "redacted_thinking", data: "x" },
      },
      { type: "content_block_stop", index: 1 },
      { type: "content_block_stop", index: 7 },
      { type: "future_event" },
      ...stop,
      { type: "message_start", message: { id: "msg_after_stop", content: [] } },
    ]);
    expect(out).toEqual([
      {
        type: "start",
        id: "msg_1",
        model: "claude-test",
        provider: "anthropic",
        requestId: "req_1",
        origin: { type: "upstream" },
      },
      { type: "text-delta", delta: "Hi " },
      { type: "text-delta", delta: "there" },
      { type: "usage", usage: { inputTokens: 5, outputTokens: 9, totalTokens: 14 } },
      {
        type: "finish",
        finishReason: "stop",
        rawFinishReason: "end_turn",
        usage: { inputTokens: 5, outputTokens: 9, totalTokens: 14 },
      },
    ]);
  });

  it("uses a tool input given whole in content_block_start, and passes unparsable arguments through", () => {
    const out = run([
      start(),
      {
        type: "content_block_start",
        index: 0,
        content_block: { type: "thinking", thinking: "Hmm." },
      },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "tool_use", id: "t1", name: "a", input: { x: 1 } },
      },
      { type: "content_block_stop", index: 1 },
      {
        type: "content_block_start",
        index: 2,
        content_block: { type: "tool_use", id: "t2", name: "b", input: {} },
      },
      {
        type: "content_block_delta",
        index: 2,
        delta: { type: "input_json_delta", partial_json: "{oops" },
      },
      { type: "content_block_stop", index: 2 },
      ...stop,
    ]);
    expect(out[1]).toEqual({ type: "reasoning-delta", delta: "Hmm." });
    expect(out.filter((e) => e.type === "tool-call")).toEqual([
      { type: "tool-call", index: 0, toolCall: { id: "t1", name: "a", input: { x: 1 } } },
      { type: "tool-call", index: 1, toolCall: { id: "t2", name: "b", input: "{oops" } },
    ]);
  });

  it("turns a json tool input given whole in content_block_start into the answer text", () => {
    const out = run(
      [
        start(),
        {
          type: "content_block_start",
          index: 0,
          content_block: { type: "tool_use", id: "t", name: "json", input: { ok: true } },
        },
        { type: "content_block_stop", index: 0 },
        { type: "message_delta", delta: { stop_reason: "tool_use" } },
        { type: "message_stop" },
      ],
      true,
    );
    expect(out.filter((e) => e.type === "text-delta")).toEqual([
      { type: "text-delta", delta: '{"ok":true}' },
    ]);
    expect(out.at(-1)).toMatchObject({
      type: "finish",
      finishReason: "stop",
      rawFinishReason: "tool_use",
    });
  });

  it("rejects events before message_start and deltas for blocks that never started", () => {
    expect(() => run([{ type: "message_delta", delta: {} }])).toThrow(
      expect.objectContaining({ name: "ParseError", where: "stream event 1" }),
    );
    expect(() =>
      run([{ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }]),
    ).toThrow(ParseError);
    expect(() =>
      run([
        start(),
        { type: "content_block_delta", index: 3, delta: { type: "text_delta", text: "x" } },
      ]),
    ).toThrow(/content block 3 before it started/);
  });

  it("rejects payloads that are not JSON or have no type", () => {
    expect(() => run([start(), "{nope"])).toThrow(
      expect.objectContaining({ name: "ParseError", where: "stream event 2" }),
    );
    expect(() => run([start(), { hello: 1 }])).toThrow(/without a type/);
  });

  it("throws NetworkError for a stream cut before message_stop", () => {
    expect(() =>
      run([
        start(),
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      ]),
    ).toThrow(NetworkError);
  });

  it("generates an id when message_start carries none", () => {
    const out = run([{ type: "message_start", message: { content: [] } }, ...stop]);
    expect(out[0]).toMatchObject({ type: "start", id: expect.stringMatching(/^msg-/) });
  });
});
