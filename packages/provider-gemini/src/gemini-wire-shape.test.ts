import { collectStream, createFetchTransport, ParseError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { createGemini } from "./index.js";

/** A candidate whose `parts` is a number where the API promises an array. */
const BROKEN = JSON.stringify({
  candidates: [{ content: { role: "model", parts: 5 }, finishReason: "STOP", index: 0 }],
});

function clientAnswering(body: string, type: string) {
  const transport = createFetchTransport({
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": type } }),
  });
  return createGemini({ apiKey: "AIza-test", model: "gemini-2.0-flash", transport });
}

const ask = { messages: [{ role: "user" as const, content: "hi" }] };

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
});
