import { collectStream, LimitExceededError, ParseError } from "@llm/core";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventStreamFrameDecoder } from "./bedrock-event-stream.js";
import { createBedrock } from "./bedrock-provider.js";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const LIMITS = { maxLineBytes: 1024 * 1024, maxEventBytes: 8 * 1024 * 1024 };

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

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

const messages = [
  event("messageStart", { role: "assistant" }),
  event("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Héllo 👋" } }),
  event("messageStop", { stopReason: "end_turn" }),
];
const body = concat(messages);

describe("EventStreamFrameDecoder", () => {
  it("decodes several messages that arrive in one chunk", () => {
    const decoder = new EventStreamFrameDecoder(LIMITS);
    const frames = decoder.feed(body);
    expect(frames.map((f) => f.type)).toEqual(["messageStart", "contentBlockDelta", "messageStop"]);
    expect(JSON.parse(frames[1]?.payload ?? "")).toEqual({
      contentBlockIndex: 0,
      delta: { text: "Héllo 👋" },
    });
    expect(frames.every((f) => f.messageType === "event")).toBe(true);
    expect(decoder.end()).toEqual([]);
  });

  it("decodes the same messages whatever the chunk boundaries (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: body.length - 1 }), { maxLength: 12 }),
        (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const decoder = new EventStreamFrameDecoder(LIMITS);
          const payloads: string[] = [];
          let from = 0;
          for (const to of [...points, body.length]) {
            for (const frame of decoder.feed(body.subarray(from, to))) payloads.push(frame.payload);
            from = to;
          }
          decoder.end();
          expect(payloads).toEqual(
            new EventStreamFrameDecoder(LIMITS).feed(body).map((f) => f.payload),
          );
        },
      ),
    );
  });

  it("reads an exception message's type and payload", () => {
    const exception = codec.encode({
      headers: {
        ":message-type": { type: "string", value: "exception" },
        ":exception-type": { type: "string", value: "throttlingException" },
      },
      body: fromUtf8('{"message":"Too many requests"}'),
    });
    const [frame] = new EventStreamFrameDecoder(LIMITS).feed(exception);
    expect(frame).toEqual({
      messageType: "exception",
      type: "throttlingException",
      payload: '{"message":"Too many requests"}',
    });
  });

  it("reads an error message's code and its message header", () => {
    const error = codec.encode({
      headers: {
        ":message-type": { type: "string", value: "error" },
        ":error-code": { type: "string", value: "InternalFailure" },
        ":error-message": { type: "string", value: "boom" },
      },
      body: new Uint8Array(0),
    });
    const [frame] = new EventStreamFrameDecoder(LIMITS).feed(error);
    expect(frame).toEqual({
      messageType: "error",
      type: "InternalFailure",
      payload: '{"message":"boom"}',
    });
  });

  it("rejects a message whose checksum does not match with a ParseError naming it", () => {
    const broken = messages[1]?.slice() as Uint8Array;
    broken[broken.length - 5] ^= 0xff;
    const decoder = new EventStreamFrameDecoder(LIMITS);
    decoder.feed(messages[0] as Uint8Array);
    const error = (() => {
      try {
        decoder.feed(broken);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ where: "event stream message 2" });
  });

  it("refuses a message over the line bound from its prelude, before buffering it", () => {
    const decoder = new EventStreamFrameDecoder({ maxLineBytes: 32, maxEventBytes: 1024 });
    const prelude = (messages[1] as Uint8Array).subarray(0, 12);
    let error: unknown;
    try {
      decoder.feed(prelude);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: "lineBytes", max: 32 });
  });

  it("names the event bound when it is the smaller one", () => {
    try {
      new EventStreamFrameDecoder({ maxLineBytes: 1024, maxEventBytes: 40 }).feed(
        messages[1] as Uint8Array,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ limit: "eventBytes", max: 40 });
    }
  });

  it("rejects a prelude that declares fewer bytes than a message can have", () => {
    const bogus = new Uint8Array(12);
    new DataView(bogus.buffer).setUint32(0, 8);
    expect(() => new EventStreamFrameDecoder(LIMITS).feed(bogus)).toThrow(ParseError);
  });

  it("fails at the end of a body cut inside a message", () => {
    const decoder = new EventStreamFrameDecoder(LIMITS);
    decoder.feed(body.subarray(0, body.length - 3));
    expect(() => decoder.end()).toThrow(/ended inside a message \(\d+ bytes left\)/);
  });
});

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
