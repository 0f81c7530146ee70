import { collectStream, LimitExceededError, type StreamEvent } from "@llm/core";
import { answeringTransport, collectEvents } from "@llm/testkit";
import { describe, expect, it } from "vitest";
import { createOpenAI, type OpenAIProviderSettings } from "./index.js";

/**
 * Stream ↔ generate parity of an answer's `providerMetadata`: the same answer,
 * sent whole and streamed, must reach the caller with the same metadata.
 */
const ask = { messages: [{ role: "user" as const, content: "hi" }] };
const REFUSAL = "I'm sorry, but I can't help with that request.";

function clientAnswering(body: string, type: string, settings: OpenAIProviderSettings = {}) {
  return createOpenAI({
    apiKey: "sk-test",
    model: "gpt-4o-mini",
    transport: answeringTransport(body, type),
    ...settings,
  });
}

const sse = (chunks: unknown[]) =>
  `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("")}data: [DONE]\n\n`;

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-r",
  model: "gpt-4o-mini",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** A refusal as OpenAI streams it: the text in `delta.refusal` fragments, then `stop`. */
function refusalStream(fragments: string[]): string {
  return sse([
    chunk({ role: "assistant", content: null, refusal: "" }),
    ...fragments.map((refusal) => chunk({ refusal })),
    chunk({}, "stop"),
  ]);
}

const refusalBody = JSON.stringify({
  id: "chatcmpl-r",
  model: "gpt-4o-mini",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: null, refusal: REFUSAL },
      finish_reason: "stop",
    },
  ],
});

describe("openai refusal metadata, streamed and not", () => {
  it("gives a streamed refusal the refusal text generate gives, on finish and collected", async () => {
    const generated = await clientAnswering(refusalBody, "application/json").generate(ask);
    const fragments = ["I'm sorry, ", "but I can't help ", "with that request."];
    const events = await collectEvents(
      clientAnswering(refusalStream(fragments), "text/event-stream").stream(ask),
    );
    const finish = events.at(-1) as Extract<StreamEvent, { type: "finish" }>;
    expect(generated.providerMetadata).toEqual({ refusal: REFUSAL });
    expect(finish.providerMetadata).toEqual(generated.providerMetadata);
    const streamed = await collectStream(
      clientAnswering(refusalStream(fragments), "text/event-stream").stream(ask),
    );
    expect(streamed.providerMetadata).toEqual(generated.providerMetadata);
    expect(streamed.finishReason).toBe(generated.finishReason);
    expect(streamed.rawFinishReason).toBe(generated.rawFinishReason);
    expect(streamed.text).toBe(generated.text);
  });

  it("puts no metadata on the finish of an answer that was not refused", async () => {
    const events = await collectEvents(
      clientAnswering(
        sse([chunk({ content: "Hi" }), chunk({}, "stop")]),
        "text/event-stream",
      ).stream(ask),
    );
    expect(events.at(-1)).not.toHaveProperty("providerMetadata");
  });

  it("reads a null refusal fragment as no refusal", async () => {
    const body = sse([chunk({ content: "Hi", refusal: null }), chunk({}, "stop")]);
    const response = await collectStream(clientAnswering(body, "text/event-stream").stream(ask));
    expect(response.finishReason).toBe("stop");
    expect(response.providerMetadata).toBeUndefined();
  });

  it("fails a streamed refusal longer than maxBodyBytes with a LimitExceededError", async () => {
    const body = refusalStream(["x".repeat(40), "y".repeat(40)]);
    const client = clientAnswering(body, "text/event-stream", { limits: { maxBodyBytes: 64 } });
    const error = await collectStream(client.stream(ask)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({
      limit: "bodyBytes",
      max: 64,
      value: 80,
      where: "openai stream choices[0].delta.refusal",
    });
    expect((error as Error).message).not.toContain("xxxx");
  });
});
