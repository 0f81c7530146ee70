import { collectStream, ParseError } from "@llm/core";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { describe, expect, it } from "vitest";
import { createBedrock } from "./bedrock-provider.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function event(type: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ":message-type": { type: "string", value: "event" },
      ":event-type": { type: "string", value: type },
      ":content-type": { type: "string", value: "application/json" },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

describe("bedrock bodies of an unexpected shape", () => {
  it("fails a contentBlockDelta whose delta is null with a ParseError, not a TypeError", async () => {
    const body = new Blob([
      event("messageStart", { role: "assistant" }),
      event("contentBlockDelta", { contentBlockIndex: 0, delta: null }),
    ]);
    const client = createBedrock({
      region: "us-east-1",
      apiKey: "bedrock-test-key",
      model: "anthropic.claude-3-5-haiku-20241022-v1:0",
      env: {},
      fetch: async () =>
        new Response(body, {
          status: 200,
          headers: { "content-type": "application/vnd.amazon.eventstream" },
        }),
    });
    const error = await collectStream(
      client.stream({ messages: [{ role: "user", content: "hi" }] }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ provider: "bedrock", where: "stream event 2" });
  });
});
