import { chatResponseProblem, collectStream, ParseError } from "@llm/core";
import { answeringTransport } from "@llm/testkit";
import { describe, expect, it } from "vitest";
import { createMistral } from "./mistral-provider.js";

function clientAnswering(body: string, type: string) {
  return createMistral({
    apiKey: "test-key",
    model: "mistral-small-latest",
    transport: answeringTransport(body, type),
  });
}

const ask = { messages: [{ role: "user" as const, content: "hi" }] };

describe("mistral bodies of an unexpected shape", () => {
  it("fails a completion whose tool calls are not a list with a ParseError, not a TypeError", async () => {
    const body = JSON.stringify({
      id: "x",
      model: "mistral-small-latest",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "hi", tool_calls: true },
          finish_reason: "stop",
        },
      ],
    });
    const error = await clientAnswering(body, "application/json")
      .generate(ask)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "mistral", where: "response body" });
  });

  it("fails a stream chunk whose choice is null with a ParseError, not a TypeError", async () => {
    const error = await collectStream(
      clientAnswering('data: {"choices":[null]}\n\n', "text/event-stream").stream(ask),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "mistral", where: "stream event 1" });
  });

  it.each([5, true, { text: "hi" }])(
    "fails message content %j, neither text nor chunks, with a ParseError naming its path",
    async (content) => {
      const message = { role: "assistant", content };
      const completion = JSON.stringify({ choices: [{ index: 0, message }] });
      const failure = await clientAnswering(completion, "application/json")
        .generate(ask)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(failure).toBeInstanceOf(ParseError);
      expect(failure).toMatchObject({ provider: "mistral", where: "choices[0].message.content" });
    },
  );

  it.each([
    [[{ type: "text", text: 7 }], "choices[0].message.content[].text"],
    [
      [{ type: "thinking", thinking: [{ type: "text", text: ["x"] }] }],
      "choices[0].message.content[].thinking[].text",
    ],
    [["plain"], "choices[0].message.content[].text"],
  ])("fails content chunks %j whose text is not a string, naming %s", async (content, where) => {
    const completion = JSON.stringify({
      choices: [{ index: 0, message: { role: "assistant", content } }],
    });
    const failure = await clientAnswering(completion, "application/json")
      .generate(ask)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ParseError);
    expect(failure).toMatchObject({ provider: "mistral", where });
  });

  it("reads text and thinking chunks, and skips chunks that carry no text", async () => {
    const content = [
      { type: "thinking", thinking: [{ type: "text", text: "hmm" }] },
      { type: "image_url", image_url: "https://example.com/a.png" },
      { type: "text", text: "Paris" },
    ];
    const completion = JSON.stringify({
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    });
    const answer = await clientAnswering(completion, "application/json").generate(ask);
    expect(answer.text).toBe("Paris");
    expect(answer.reasoning).toBe("hmm");
  });

  it("fails a streamed text chunk whose text is not a string, keeping the deltas before it", async () => {
    const chunk = (content: unknown) =>
      `data: ${JSON.stringify({ id: "x", choices: [{ index: 0, delta: { content } }] })}\n\n`;
    const sse = chunk([{ type: "text", text: "Hel" }]) + chunk([{ type: "text", text: { lo: 1 } }]);
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const event of clientAnswering(sse, "text/event-stream").stream(ask))
        if (event.type === "text-delta") seen.push(event.delta);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["Hel"]);
    expect(failure).toBeInstanceOf(ParseError);
    expect(failure).toMatchObject({
      provider: "mistral",
      where: "choices[0].delta.content[].text",
    });
  });

  it("fails a streamed content chunk that is null, naming the content path as the answer path does", async () => {
    const sse = `data: ${JSON.stringify({ id: "x", choices: [{ index: 0, delta: { content: [null] } }] })}\n\n`;
    const failure = await collectStream(
      clientAnswering(sse, "text/event-stream").stream(ask),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ParseError);
    expect(failure).toMatchObject({
      provider: "mistral",
      where: "choices[0].delta.content[].text",
    });
  });

  it("fails a streamed tool call whose id is not a string", async () => {
    const delta = { tool_calls: [{ id: 9, function: { name: "f", arguments: "{}" } }] };
    const sse = `data: ${JSON.stringify({ id: "x", choices: [{ index: 0, delta }] })}\n\n`;
    const error = await collectStream(clientAnswering(sse, "text/event-stream").stream(ask)).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ provider: "mistral", where: "choices[0].delta.tool_calls[].id" });
  });

  it("drops wrong-typed usage counts and finish reason, keeping the answer valid", async () => {
    const body = JSON.stringify({
      id: [],
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: null }],
      usage: { prompt_tokens: 2, completion_tokens: "3", total_tokens: -5 },
    });
    const answer = await clientAnswering(body, "application/json").generate(ask);
    expect(chatResponseProblem(answer)).toBeUndefined();
    expect(answer.usage).toEqual({ inputTokens: 2, outputTokens: 0, totalTokens: 2 });
  });

  it("fails thinking that is neither text nor chunks with a ParseError naming its path", async () => {
    const content = [
      { type: "thinking", thinking: 42 },
      { type: "text", text: "Paris" },
    ];
    const completion = JSON.stringify({
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    });
    const error = await clientAnswering(completion, "application/json")
      .generate(ask)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({
      provider: "mistral",
      where: "choices[0].message.content[].thinking",
    });
  });

  it("fails streamed thinking that is neither text nor chunks with a ParseError naming its path", async () => {
    const delta = { content: [{ type: "thinking", thinking: { text: "hmm" } }] };
    const sse = `data: ${JSON.stringify({ id: "x", choices: [{ index: 0, delta }] })}\n\n`;
    const error = await collectStream(clientAnswering(sse, "text/event-stream").stream(ask)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({
      provider: "mistral",
      where: "choices[0].delta.content[].thinking",
    });
  });

  it("fails streamed content that is neither text nor chunks with a ParseError naming its path", async () => {
    const sse = `data: ${JSON.stringify({ id: "x", choices: [{ index: 0, delta: { content: 7 } }] })}\n\n`;
    const error = await collectStream(clientAnswering(sse, "text/event-stream").stream(ask)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "mistral", where: "choices[0].delta.content" });
  });
});
