import { chatResponseProblem, collectStream, ParseError } from "@llm/core";
import { answeringTransport } from "@llm/testkit";
import { describe, expect, it } from "vitest";
import { createGemini } from "./index.js";

/** A candidate whose `parts` is a number where the API promises an array. */
const BROKEN = JSON.stringify({
  candidates: [{ content: { role: "model", parts: 5 }, finishReason: "STOP", index: 0 }],
});

function clientAnswering(body: string, type: string) {
  return createGemini({
    apiKey: "AIza-test",
    model: "gemini-2.0-flash",
    transport: answeringTransport(body, type),
  });
}

const ask = { messages: [{ role: "user" as const, content: "hi" }] };

/** `body` answered whole and as one SSE chunk: both fail with a ParseError naming `where`. */
async function expectParseErrorBothWays(body: string, where: string): Promise<void> {
  const answered = await clientAnswering(body, "application/json")
    .generate(ask)
    .catch((e: unknown) => e);
  expect(answered).toBeInstanceOf(ParseError);
  expect(answered).toMatchObject({ provider: "gemini", where });
  const streamed = await collectStream(
    clientAnswering(`data: ${body}\n\n`, "text/event-stream").stream(ask),
  ).catch((e: unknown) => e);
  expect(streamed).toBeInstanceOf(ParseError);
  expect(streamed).toMatchObject({ provider: "gemini", where });
}

describe("gemini bodies of an unexpected shape", () => {
  it("fails a response whose parts are not a list with a ParseError, not a TypeError", async () => {
    const error = await clientAnswering(BROKEN, "application/json")
      .generate(ask)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "gemini", where: "response body" });
  });

  it("fails a stream chunk whose parts are not a list with a ParseError", async () => {
    const error = await collectStream(
      clientAnswering(`data: ${BROKEN}\n\n`, "text/event-stream").stream(ask),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "gemini", where: "stream event 1" });
  });

  it.each(['{"city":"Paris"}', ["Paris"], 3])(
    "fails functionCall.args %j, not an object, with a ParseError naming its path (answer and stream)",
    async (args) => {
      const body = JSON.stringify({
        candidates: [
          {
            content: { role: "model", parts: [{ functionCall: { name: "weather", args } }] },
            finishReason: "STOP",
          },
        ],
      });
      await expectParseErrorBothWays(body, "candidates[0].content.parts[].functionCall.args");
    },
  );

  it("reads absent or null functionCall.args as no arguments", async () => {
    const body = JSON.stringify({
      candidates: [
        {
          content: { role: "model", parts: [{ functionCall: { name: "now", args: null } }] },
          finishReason: "STOP",
        },
      ],
    });
    const answer = await clientAnswering(body, "application/json").generate(ask);
    expect(answer.toolCalls).toMatchObject([{ name: "now", input: {} }]);
  });

  it("drops wrong-typed metadata: usage counts, finish reason, model version", async () => {
    const body = JSON.stringify({
      candidates: [{ content: { role: "model", parts: [{ text: "hi" }] }, finishReason: 1 }],
      usageMetadata: { promptTokenCount: "", candidatesTokenCount: 2, thoughtsTokenCount: -1 },
      modelVersion: {},
    });
    const answer = await clientAnswering(body, "application/json").generate(ask);
    expect(chatResponseProblem(answer)).toBeUndefined();
    expect(answer).toMatchObject({
      model: "gemini-2.0-flash",
      usage: { inputTokens: 0, outputTokens: 2, totalTokens: 2 },
    });
    expect(answer.rawFinishReason).toBeUndefined();
    expect(answer.usage.reasoningTokens).toBeUndefined();
  });

  it("fails a part whose text is not a string with a ParseError naming its path", async () => {
    const chunk = { candidates: [{ content: { role: "model", parts: [{ text: 5 }] } }] };
    const error = await collectStream(
      clientAnswering(`data: ${JSON.stringify(chunk)}\n\n`, "text/event-stream").stream(ask),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({
      provider: "gemini",
      where: "candidates[0].content.parts[].text",
    });
  });

  it.each([
    ["a text part", { text: "hi", thoughtSignature: 42 }],
    ["a function call part", { functionCall: { name: "f", args: {} }, thoughtSignature: ["s"] }],
  ])(
    "fails a thoughtSignature of %s that is not a string with a ParseError (answer and stream)",
    async (_, part) => {
      // Dropped, it would go back to Gemini as the skip value with the next turn.
      const body = JSON.stringify({ candidates: [{ content: { role: "model", parts: [part] } }] });
      await expectParseErrorBothWays(body, "candidates[0].content.parts[].thoughtSignature");
    },
  );

  it("reads a null thoughtSignature as none", async () => {
    const body = JSON.stringify({
      candidates: [{ content: { role: "model", parts: [{ text: "hi", thoughtSignature: null }] } }],
    });
    const answer = await clientAnswering(body, "application/json").generate(ask);
    expect(answer.text).toBe("hi");
  });

  it("fails a function call whose name is not a string", async () => {
    const body = JSON.stringify({
      candidates: [{ content: { parts: [{ functionCall: { name: ["f"], args: {} } }] } }],
    });
    const error = await clientAnswering(body, "application/json")
      .generate(ask)
      .catch((e) => e);
    expect(error).toMatchObject({
      provider: "gemini",
      where: "candidates[0].content.parts[].functionCall.name",
    });
  });

  it.each([
    [{ jsonPath: "$.city", stringValue: { name: "Paris" } }, "stringValue"],
    [{ jsonPath: 7, stringValue: "Paris" }, "jsonPath"],
  ])(
    "fails a streamed partial argument %j of the wrong type with a ParseError naming its %s",
    async (partialArg, field) => {
      const part = (functionCall: unknown) =>
        `data: ${JSON.stringify({ candidates: [{ content: { role: "model", parts: [{ functionCall }] } }] })}\n\n`;
      const sse =
        part({ name: "weather", willContinue: true }) +
        part({ partialArgs: [partialArg], willContinue: true }) +
        part({});
      const error = await collectStream(
        clientAnswering(sse, "text/event-stream").stream(ask),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParseError);
      expect(error).toMatchObject({
        provider: "gemini",
        where: `candidates[0].content.parts[].functionCall.partialArgs[].${field}`,
      });
    },
  );
});
