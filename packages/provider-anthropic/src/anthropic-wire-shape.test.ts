import { collectStream, createFetchTransport, ParseError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { createAnthropic } from "./index.js";

function clientAnswering(body: string, type: string) {
  const transport = createFetchTransport({
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": type } }),
  });
  return createAnthropic({ apiKey: "sk-ant-test", model: "claude-3-5-haiku-latest", transport });
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
});
