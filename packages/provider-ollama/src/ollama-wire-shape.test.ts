import { collectStream, createFetchTransport, ParseError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { createOllama } from "./index.js";

describe("ollama bodies of an unexpected shape", () => {
  it("fails an answer whose message content is not text with a ParseError", async () => {
    const body = JSON.stringify({
      model: "llama3.2",
      message: { role: "assistant", content: { text: "hi" } },
      done: true,
      done_reason: "stop",
    });
    const transport = createFetchTransport({
      fetch: async () =>
        new Response(body, { status: 200, headers: { "content-type": "application/json" } }),
    });
    const error = await createOllama({ model: "llama3.2", transport })
      .generate({ messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ where: "message.content" });
  });

  it("fails a streamed content that is not a string, and drops a done_reason that is not one", async () => {
    const answering = (body: string) =>
      createOllama({
        model: "llama3.2",
        transport: createFetchTransport({
          fetch: async () =>
            new Response(body, {
              status: 200,
              headers: { "content-type": "application/x-ndjson" },
            }),
        }),
      });
    const ask = { messages: [{ role: "user" as const, content: "hi" }] };
    const bad = `${JSON.stringify({ model: "llama3.2", message: { role: "assistant", content: ["x"] }, done: false })}\n`;
    const error = await collectStream(answering(bad).stream(ask)).catch((e) => e);
    expect(error).toMatchObject({ provider: "ollama", where: "message.content" });
    const odd = `${JSON.stringify({ model: 5, message: { role: "assistant", content: "hi" }, done: true, done_reason: 3, eval_count: "2" })}\n`;
    const answer = await collectStream(answering(odd).stream(ask));
    expect(answer).toMatchObject({ model: "llama3.2", text: "hi", finishReason: "other" });
    expect(answer.rawFinishReason).toBeUndefined();
    expect(answer.usage.outputTokens).toBe(0);
  });

  it("reads tool arguments as an object or a JSON string, and fails any other type", async () => {
    const answer = (args: unknown) => {
      const body = JSON.stringify({
        model: "llama3.2",
        message: {
          role: "assistant",
          content: "",
          tool_calls: [{ function: { name: "weather", arguments: args } }],
        },
        done: true,
        done_reason: "stop",
      });
      const transport = createFetchTransport({
        fetch: async () =>
          new Response(body, { status: 200, headers: { "content-type": "application/json" } }),
      });
      return createOllama({ model: "llama3.2", transport }).generate({
        messages: [{ role: "user", content: "hi" }],
      });
    };
    expect((await answer({ city: "Paris" })).toolCalls[0]?.input).toEqual({ city: "Paris" });
    expect((await answer('{"city":"Paris"}')).toolCalls[0]?.input).toEqual({ city: "Paris" });
    expect((await answer(undefined)).toolCalls[0]?.input).toEqual({});
    for (const bad of [["Paris"], 7, true]) {
      const error = await answer(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParseError);
      expect(error).toMatchObject({ where: "message.tool_calls[].function.arguments" });
    }
  });
});
