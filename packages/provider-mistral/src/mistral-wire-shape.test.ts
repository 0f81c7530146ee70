import { collectStream, createFetchTransport, ParseError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { createMistral } from "./mistral-provider.js";

function clientAnswering(body: string, type: string) {
  const transport = createFetchTransport({
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": type } }),
  });
  return createMistral({ apiKey: "test-key", model: "mistral-small-latest", transport });
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
});
