import { createFetchTransport, ParseError } from "@llm/core";
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
    expect(error).toMatchObject({ where: "response body .message.content" });
  });
});
