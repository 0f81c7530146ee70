import { chatResponseProblem, collectStream, ParseError } from "@llm/core";
import { answeringTransport } from "@llm/testkit";
import { describe, expect, it } from "vitest";
import { createOpenAI } from "./index.js";

/** A client whose server answers `body` with status 200 and `type`. */
function clientAnswering(body: string, type: string) {
  return createOpenAI({
    apiKey: "sk-test",
    model: "gpt-4o-mini",
    transport: answeringTransport(body, type),
  });
}

const ask = { messages: [{ role: "user" as const, content: "hi" }] };

describe("openai bodies of an unexpected shape", () => {
  it("fails a completion whose message content is not text with a ParseError", async () => {
    const body = JSON.stringify({
      choices: [{ index: 0, message: { role: "assistant", content: 5 }, finish_reason: "stop" }],
    });
    const error = await clientAnswering(body, "application/json")
      .generate(ask)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ where: "choices[0].message.content" });
  });

  it("fails a stream chunk whose choice is null with a ParseError, not a TypeError", async () => {
    const error = await collectStream(
      clientAnswering('data: {"choices":[null]}\n\n', "text/event-stream").stream(ask),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "openai", where: "stream event 1" });
    expect((error as ParseError).cause).toBeInstanceOf(TypeError);
  });

  it("drops wrong-typed optional metadata: usage counts, finish reason, id and model", async () => {
    const body = JSON.stringify({
      id: { x: 1 },
      model: ["gpt"],
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: 5 }],
      usage: { prompt_tokens: "12", completion_tokens: -1, total_tokens: 1.5 },
    });
    const answer = await clientAnswering(body, "application/json").generate(ask);
    expect(chatResponseProblem(answer)).toBeUndefined();
    expect(answer).toMatchObject({
      model: "gpt-4o-mini",
      finishReason: "other",
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    });
    expect(answer.rawFinishReason).toBeUndefined();
  });

  it("fails a text delta that is not a string with a ParseError naming its path", async () => {
    const sse = 'data: {"id":"c","choices":[{"index":0,"delta":{"content":7}}]}\n\n';
    const error = await collectStream(clientAnswering(sse, "text/event-stream").stream(ask)).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "openai", where: "choices[0].delta.content" });
  });

  it("fails tool-call arguments that are not a string with a ParseError", async () => {
    const delta = {
      tool_calls: [{ index: 0, id: "call_1", function: { name: "f", arguments: { a: 1 } } }],
    };
    const sse = `data: ${JSON.stringify({ id: "c", choices: [{ index: 0, delta }] })}\n\n`;
    const error = await collectStream(clientAnswering(sse, "text/event-stream").stream(ask)).catch(
      (e) => e,
    );
    expect(error).toMatchObject({
      provider: "openai",
      where: "choices[0].delta.tool_calls[].function.arguments",
    });
  });

  it("fails a tool-call index past any real answer's instead of growing an array to it", async () => {
    const delta = { tool_calls: [{ index: 1e12, id: "call_1", function: { name: "f" } }] };
    const sse = `data: ${JSON.stringify({ id: "c", choices: [{ index: 0, delta }] })}\n\n`;
    const error = await collectStream(clientAnswering(sse, "text/event-stream").stream(ask)).catch(
      (e) => e,
    );
    expect(error).toMatchObject({
      provider: "openai",
      where: "choices[0].delta.tool_calls[].index",
    });
  });

  it("finishes on a finish reason that is not a string, without keeping it as raw", async () => {
    const sse =
      'data: {"id":"c","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n' +
      'data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":{"x":1}}]}\n\n';
    const answer = await collectStream(clientAnswering(sse, "text/event-stream").stream(ask));
    expect(answer.finishReason).toBe("other");
    expect(answer.rawFinishReason).toBeUndefined();
  });

  it("fails a refusal that is not text with a ParseError naming its path", async () => {
    const body = JSON.stringify({
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: null, refusal: { reason: "policy" } },
          finish_reason: "stop",
        },
      ],
    });
    const error = await clientAnswering(body, "application/json")
      .generate(ask)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "openai", where: "choices[0].message.refusal" });
  });

  it("reads a null refusal as no refusal", async () => {
    const body = JSON.stringify({
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "hi", refusal: null },
          finish_reason: "stop",
        },
      ],
    });
    const answer = await clientAnswering(body, "application/json").generate(ask);
    expect(answer.finishReason).toBe("stop");
    expect(answer.providerMetadata).toBeUndefined();
  });

  it("fails a streamed refusal that is not text with a ParseError naming its path", async () => {
    const sse = 'data: {"id":"c","choices":[{"index":0,"delta":{"refusal":42}}]}\n\n';
    const error = await collectStream(clientAnswering(sse, "text/event-stream").stream(ask)).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "openai", where: "choices[0].delta.refusal" });
  });
});
