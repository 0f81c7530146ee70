import { collectStream, createFetchTransport, ParseError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { createOpenAI } from "./index.js";

/** A client whose server answers `body` with status 200 and `type`. */
function clientAnswering(body: string, type: string) {
  const transport = createFetchTransport({
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": type } }),
  });
  return createOpenAI({ apiKey: "sk-test", model: "gpt-4o-mini", transport });
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
    expect(error).toMatchObject({ where: "response body .choices[0].message.content" });
  });

  it("fails a stream chunk whose choice is null with a ParseError, not a TypeError", async () => {
    const error = await collectStream(
      clientAnswering('data: {"choices":[null]}\n\n', "text/event-stream").stream(ask),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "openai", where: "stream event 1" });
    expect((error as ParseError).cause).toBeInstanceOf(TypeError);
  });
});
