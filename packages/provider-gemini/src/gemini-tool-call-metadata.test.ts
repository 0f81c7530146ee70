import { collectStream, type Message, type StreamEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import { convertToGeminiMessages, SKIP_THOUGHT_SIGNATURE } from "./convert-to-gemini-messages.js";
import type { GeminiResponse } from "./gemini-api.js";
import { toChatResponse } from "./gemini-response.js";
import { GeminiStreamState } from "./gemini-stream.js";
import { thoughtSignatureOf } from "./gemini-tool-call-metadata.js";

/** Gemini 3's answer to a tool-using prompt: two parallel calls, the first one signed, no thought text. */
const signedCalls: GeminiResponse = {
  responseId: "r1",
  candidates: [
    {
      content: {
        role: "model",
        parts: [
          { functionCall: { name: "weather", args: { city: "Paris" } }, thoughtSignature: "sig-A" },
          { functionCall: { name: "time", args: { zone: "CET" } } },
        ],
      },
      finishReason: "STOP",
    },
  ],
};

function streamed(chunks: GeminiResponse[]): AsyncIterable<StreamEvent> {
  const state = new GeminiStreamState({ model: "gemini-3-pro", requestId: undefined });
  const out: StreamEvent[] = [];
  for (const chunk of chunks) state.chunk(chunk, out);
  state.end(out);
  return (async function* () {
    yield* out;
  })();
}

/** The next turn's history: the answer's content, as a caller sends it back. */
const nextTurn = (content: Extract<Message, { role: "assistant" }>["content"]) =>
  convertToGeminiMessages([
    { role: "user", content: "Weather and time in Paris?" },
    { role: "assistant", content },
  ]).contents[1]?.parts;

describe("Gemini thought signatures on tool calls", () => {
  it("keeps the signature on the call it signs, typed under providerMetadata.gemini", () => {
    const response = toChatResponse(signedCalls, { model: "gemini-3-pro", requestId: undefined });
    expect(response.toolCalls[0]?.providerMetadata).toEqual({
      gemini: { thoughtSignature: "sig-A" },
    });
    expect(response.toolCalls[1]?.providerMetadata).toBeUndefined();
    expect(response.content[0]).toMatchObject({
      type: "tool-call",
      providerMetadata: { gemini: { thoughtSignature: "sig-A" } },
    });
  });

  it("sends the real signature back on the next turn instead of the placeholder", () => {
    const response = toChatResponse(signedCalls, { model: "gemini-3-pro", requestId: undefined });
    expect(nextTurn(response.content)).toEqual([
      { functionCall: { name: "weather", args: { city: "Paris" } }, thoughtSignature: "sig-A" },
      { functionCall: { name: "time", args: { zone: "CET" } } },
    ]);
  });

  it("round-trips the signature of a streamed call the same way", async () => {
    const response = await collectStream(streamed([signedCalls]));
    expect(response.toolCalls[0]?.providerMetadata).toEqual({
      gemini: { thoughtSignature: "sig-A" },
    });
    expect(nextTurn(response.content)?.[0]?.thoughtSignature).toBe("sig-A");
  });

  it("keeps a signature given on the head of a call streamed in pieces", async () => {
    const response = await collectStream(
      streamed([
        {
          candidates: [
            {
              content: {
                parts: [
                  {
                    functionCall: { name: "weather", willContinue: true },
                    thoughtSignature: "sig-H",
                  },
                ],
              },
            },
          ],
        },
        {
          candidates: [
            {
              content: {
                parts: [
                  {
                    functionCall: {
                      partialArgs: [{ jsonPath: "$.city", stringValue: "Oslo" }],
                      willContinue: true,
                    },
                  },
                ],
              },
            },
          ],
        },
        { candidates: [{ content: { parts: [{ functionCall: {} }] }, finishReason: "STOP" }] },
      ]),
    );
    expect(response.toolCalls[0]).toMatchObject({
      input: { city: "Oslo" },
      providerMetadata: { gemini: { thoughtSignature: "sig-H" } },
    });
  });

  it("falls back to the placeholder for a call whose signature was not kept", () => {
    expect(
      nextTurn([{ type: "tool-call", toolCallId: "a", toolName: "f", input: {} }])?.[0]
        ?.thoughtSignature,
    ).toBe(SKIP_THOUGHT_SIGNATURE);
  });

  it("ignores metadata of other providers and a signature that is not a string", () => {
    expect(thoughtSignatureOf(undefined)).toBeUndefined();
    expect(thoughtSignatureOf({ openai: { thoughtSignature: "x" } })).toBeUndefined();
    expect(thoughtSignatureOf({ gemini: { thoughtSignature: 7 } })).toBeUndefined();
  });
});
