import { crc32 } from "node:zlib";
import { EventStreamCodec, Int64 } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEventStreamMessage, EventStreamFormatError } from "./event-stream-message.js";

/** The AWS SDK's own codec: the reference our decoder must agree with. */
const codec = new EventStreamCodec(toUtf8, fromUtf8);
type Headers = Parameters<EventStreamCodec["encode"]>[0]["headers"];

const WANTED = [":message-type", ":event-type", ":exception-type", ":error-code", ":error-message"];

/** A message with a raw header block and correct CRCs, to test the block's checks alone. */
function withHeaderBlock(block: number[], body = new Uint8Array([1, 2])): Uint8Array {
  const length = 12 + block.length + body.length + 4;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setUint32(0, length);
  view.setUint32(4, block.length);
  view.setUint32(8, crc32(out.subarray(0, 8)));
  out.set(block, 12);
  out.set(body, 12 + block.length);
  view.setUint32(length - 4, crc32(out.subarray(0, length - 4)));
  return out;
}

describe("decodeEventStreamMessage", () => {
  it("reads the wanted string headers and the body, walking every header type", () => {
    const body = fromUtf8('{"delta":{"text":"Héllo 👋"}}');
    const message = codec.encode({
      headers: {
        "flag-true": { type: "boolean", value: true },
        "flag-false": { type: "boolean", value: false },
        byte: { type: "byte", value: -3 },
        short: { type: "short", value: 300 },
        int: { type: "integer", value: 70_000 },
        long: { type: "long", value: Int64.fromNumber(2 ** 40) },
        bin: { type: "binary", value: new Uint8Array([9, 8, 7]) },
        ":message-type": { type: "string", value: "event" },
        ":event-type": { type: "string", value: "contentBlockDelta" },
        when: { type: "timestamp", value: new Date(0) },
        id: { type: "uuid", value: "0b8e0d1c-1a2b-4c3d-8e4f-5a6b7c8d9e0f" },
        ":content-type": { type: "string", value: "application/json" },
      },
      body,
    });
    const decoded = decodeEventStreamMessage(message);
    expect(decoded.headers).toEqual({
      ":message-type": "event",
      ":event-type": "contentBlockDelta",
    });
    expect(Buffer.from(decoded.body).equals(Buffer.from(body))).toBe(true);
  });

  it("agrees with the AWS SDK's codec on any message (property)", () => {
    const header = fc.oneof(
      fc.record({ type: fc.constant("string" as const), value: fc.string({ maxLength: 40 }) }),
      fc.record({ type: fc.constant("integer" as const), value: fc.integer() }),
      fc.record({ type: fc.constant("boolean" as const), value: fc.boolean() }),
      fc.record({
        type: fc.constant("binary" as const),
        value: fc.uint8Array({ maxLength: 20 }),
      }),
    );
    const name = fc.oneof(fc.constantFrom(...WANTED), fc.string({ minLength: 1, maxLength: 20 }));
    fc.assert(
      fc.property(
        fc.dictionary(name, header, { maxKeys: 8 }),
        fc.uint8Array({ maxLength: 200 }),
        (headers, body) => {
          const message = codec.encode({ headers: headers as Headers, body });
          const theirs = codec.decode(message);
          const ours = decodeEventStreamMessage(message);
          const expected: Record<string, string> = {};
          for (const [key, value] of Object.entries(theirs.headers)) {
            if (WANTED.includes(key) && value.type === "string") expected[key] = value.value;
          }
          expect(ours.headers).toEqual(expected);
          expect(Buffer.from(ours.body).equals(Buffer.from(theirs.body))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects a message with any one byte changed (property: both CRCs are checked)", () => {
    const message = codec.encode({
      headers: { ":event-type": { type: "string", value: "messageStop" } },
      body: fromUtf8('{"stopReason":"end_turn"}'),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: message.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (index, flip) => {
          const bad = message.slice();
          bad[index] = (bad[index] as number) ^ flip;
          expect(() => decodeEventStreamMessage(bad)).toThrow(EventStreamFormatError);
        },
      ),
    );
  });

  it("rejects a message shorter than its framing or unlike its length prelude", () => {
    expect(() => decodeEventStreamMessage(new Uint8Array(15))).toThrow(/shorter than its framing/);
    const message = withHeaderBlock([]);
    const longer = new Uint8Array(message.length + 1);
    longer.set(message);
    expect(() => decodeEventStreamMessage(longer)).toThrow(/length prelude/);
  });

  it("rejects a header block that is longer than the message", () => {
    const message = withHeaderBlock([]);
    const view = new DataView(message.buffer);
    view.setUint32(4, 1_000);
    view.setUint32(8, crc32(message.subarray(0, 8)));
    view.setUint32(message.length - 4, crc32(message.subarray(0, message.length - 4)));
    expect(() => decodeEventStreamMessage(message)).toThrow(/runs past the message/);
  });

  it("rejects headers that run past their block or have an unknown type", () => {
    // name "a", type string, length 200: the value runs past the block.
    expect(() => decodeEventStreamMessage(withHeaderBlock([1, 97, 7, 0, 200]))).toThrow(
      /runs past the header block/,
    );
    // name "a", type string, the length cut off.
    expect(() => decodeEventStreamMessage(withHeaderBlock([1, 97, 7, 0]))).toThrow(
      /runs past the header block/,
    );
    // a name longer than the block.
    expect(() => decodeEventStreamMessage(withHeaderBlock([5, 97]))).toThrow(
      /runs past the header block/,
    );
    // name "a", type 42.
    expect(() => decodeEventStreamMessage(withHeaderBlock([1, 97, 42]))).toThrow(
      /unknown value type 42/,
    );
    // name "a", type int, only 2 of its 4 bytes.
    expect(() => decodeEventStreamMessage(withHeaderBlock([1, 97, 4, 0, 0]))).toThrow(
      /runs past the header block/,
    );
  });
});
