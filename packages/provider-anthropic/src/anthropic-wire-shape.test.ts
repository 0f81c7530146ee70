import { chatResponseProblem, collectStream, ParseError } from "@llm/core";
import { answeringTransport } from "@llm/testkit";
import { describe, expect, it } from "vitest";
import { createAnthropic } from "./index.js";

function clientAnswering(body: string, type: string) {
  return createAnthropic({
    apiKey: "sk-ant-test",
    model: "claude-3-5-haiku-latest",
    transport: answeringTransport(body, type),
  });
}

const ask = { messages: [{ role: "user" as const, content: "hi" }] };

describe("anthropic bodies of an unexpected shape", () => {
  it("fails a message whose content block is null with a ParseError, not a TypeError", async () => {
    const body = JSON.stringify({
      type: "message",
      role: "assistant",
      content: [null],
      stop_reason: "end_turn",
      usage: { input_tokens: 1, output_tokens: 1 },
    });
    const error = await clientAnswering(body, "application/json")
      .generate(ask)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "anthropic", where: "response body" });
  });

  it("fails a message_start without its message with a ParseError, not a TypeError", async () => {
    const body = 'event: message_start\ndata: {"type":"message_start"}\n\n';
    const error = await collectStream(clientAnswering(body, "text/event-stream").stream(ask)).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "anthropic", where: "stream event 1" });
  });

  it("reads usage counts that are not non-negative integers as absent", async () => {
    const body = JSON.stringify({
      id: 5,
      type: "message",
      role: "assistant",
      content: [{ type: "text", text: "hi" }],
      stop_reason: ["end_turn"],
      usage: { input_tokens: "", output_tokens: -3, cache_read_input_tokens: 2 },
    });
    const answer = await clientAnswering(body, "application/json").generate(ask);
    expect(chatResponseProblem(answer)).toBeUndefined();
    expect(answer.usage).toEqual({
      inputTokens: 2,
      outputTokens: 0,
      totalTokens: 2,
      cachedInputTokens: 2,
    });
    expect(answer.rawFinishReason).toBeUndefined();
  });

  it("fails a tool_use block whose id is not a string with a ParseError naming its path", async () => {
    const body = JSON.stringify({
      type: "message",
      role: "assistant",
      content: [{ type: "tool_use", id: 7, name: "f", input: {} }],
      stop_reason: "tool_use",
      usage: { input_tokens: 1, output_tokens: 1 },
    });
    const error = await clientAnswering(body, "application/json")
      .generate(ask)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "anthropic", where: "content[].id" });
  });

  it("fails a text delta that is not a string, and a block index that is not a count", async () => {
    const start =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":1}}}\n\n' +
      'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n';
    const badDelta = `${start}event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":[1]}}\n\n`;
    const badIndex = `${start}event: content_block_delta\ndata: {"type":"content_block_delta","index":"__proto__","delta":{"type":"text_delta","text":"x"}}\n\n`;
    const deltaError = await collectStream(
      clientAnswering(badDelta, "text/event-stream").stream(ask),
    ).catch((e) => e);
    expect(deltaError).toMatchObject({ provider: "anthropic", where: "delta.text" });
    const indexError = await collectStream(
      clientAnswering(badIndex, "text/event-stream").stream(ask),
    ).catch((e) => e);
    expect(indexError).toBeInstanceOf(ParseError);
    expect(indexError).toMatchObject({ provider: "anthropic", where: "index" });
  });

  it.each(['{"city":"Paris"}', ["Paris"], 2])(
    "fails a tool_use input %j that is not an object, answered or streamed",
    async (input) => {
      const block = { type: "tool_use", id: "toolu_1", name: "weather", input };
      const message = {
        type: "message",
        role: "assistant",
        content: [block],
        stop_reason: "tool_use",
        usage: { input_tokens: 1, output_tokens: 1 },
      };
      const answered = await clientAnswering(JSON.stringify(message), "application/json")
        .generate(ask)
        .catch((e: unknown) => e);
      expect(answered).toBeInstanceOf(ParseError);
      expect(answered).toMatchObject({ provider: "anthropic", where: "content[].input" });

      const events = [
        { type: "message_start", message: { ...message, content: [] } },
        { type: "content_block_start", index: 0, content_block: block },
      ];
      const sse = events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
      const streamed = await collectStream(
        clientAnswering(sse, "text/event-stream").stream(ask),
      ).catch((e: unknown) => e);
      expect(streamed).toBeInstanceOf(ParseError);
      expect(streamed).toMatchObject({ provider: "anthropic", where: "content_block.input" });
    },
  );

  it.each([["refusal"], [["refusal"]], [7]])(
    "drops stop_details %j, which is not an object, instead of passing it on as metadata",
    async (stopDetails) => {
      const body = JSON.stringify({
        type: "message",
        role: "assistant",
        content: [{ type: "text", text: "hi" }],
        stop_reason: "refusal",
        stop_details: stopDetails,
        usage: { input_tokens: 1, output_tokens: 1 },
      });
      const answer = await clientAnswering(body, "application/json").generate(ask);
      expect(chatResponseProblem(answer)).toBeUndefined();
      expect(answer.providerMetadata).toBeUndefined();
      expect(answer.rawFinishReason).toBe("refusal");
    },
  );

  it.each([["refusal"], [["refusal"]], [7], [null]])(
    "drops a streamed stop_details %j, which is not an object, and still finishes the stream",
    async (stopDetails) => {
      const events = [
        {
          type: "message_start",
          message: { id: "msg_1", type: "message", role: "assistant", content: [], usage: {} },
        },
        {
          type: "message_delta",
          delta: { stop_reason: "refusal", stop_details: stopDetails },
          usage: { output_tokens: 1 },
        },
        { type: "message_stop" },
      ];
      const sse = events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
      const streamed = await collectStream(clientAnswering(sse, "text/event-stream").stream(ask));
      expect(chatResponseProblem(streamed)).toBeUndefined();
      expect(streamed.providerMetadata).toBeUndefined();
      expect(streamed.finishReason).toBe("content-filter");
    },
  );
});
