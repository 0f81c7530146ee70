import { crc32 } from "node:zlib";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

/**
 * `application/vnd.amazon.eventstream` bytes for tests (Bedrock's ConverseStream body), encoded
 * and decoded with smithy's codec — the one AWS and the provider use — so a frame the tests
 * build is one a real server could send, with valid CRCs unless a test breaks them on purpose.
 */

export type EventStreamHeaders = Record<string, { type: "string"; value: string }>;

export interface EventStreamMessage {
  headers: EventStreamHeaders;
  body: Uint8Array;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Total length and headers length: the first two words of a message's prelude. */
export const PRELUDE_BYTES = 12;

export const encodeMessage = (message: EventStreamMessage): Uint8Array => codec.encode(message);

export function decodeMessage(frame: Uint8Array): EventStreamMessage {
  const decoded = codec.decode(frame);
  const headers: EventStreamHeaders = {};
  for (const [name, header] of Object.entries(decoded.headers)) {
    headers[name] = { type: "string", value: String(header.value) };
  }
  return { headers, body: decoded.body };
}

/** A message of `messageType` (`event` or `exception`), named by its type header, valid CRCs. */
function typedMessage(messageType: "event" | "exception", type: string, payload: string) {
  return encodeMessage({
    headers: {
      [`:${messageType}-type`]: { type: "string", value: type },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: messageType },
    },
    body: fromUtf8(payload),
  });
}

export const eventMessage = (type: string, payload: string): Uint8Array =>
  typedMessage("event", type, payload);

export const exceptionMessage = (type: string, payload: string): Uint8Array =>
  typedMessage("exception", type, payload);

/** A whole body cut into its messages by their length prelude (the body must be well formed). */
export function splitMessages(body: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let offset = 0;
  while (offset + PRELUDE_BYTES <= body.length) {
    const total = new DataView(body.buffer, body.byteOffset + offset, 4).getUint32(0);
    if (total < PRELUDE_BYTES || offset + total > body.length) {
      throw new Error(
        `not a well-formed event stream: message at byte ${offset} declares ${total}`,
      );
    }
    frames.push(body.subarray(offset, offset + total));
    offset += total;
  }
  if (offset !== body.length)
    throw new Error(`${body.length - offset} bytes after the last message`);
  return frames;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A copy of `frame` whose prelude declares `total` bytes; its prelude CRC is left stale. */
export function withDeclaredLength(frame: Uint8Array, total: number): Uint8Array {
  const copy = frame.slice();
  new DataView(copy.buffer).setUint32(0, total >>> 0);
  return copy;
}

/** A copy of `frame` whose prelude declares `headersLength` bytes of headers, prelude CRC redone. */
export function withDeclaredHeadersLength(frame: Uint8Array, headersLength: number): Uint8Array {
  const copy = frame.slice();
  const view = new DataView(copy.buffer);
  view.setUint32(4, headersLength >>> 0);
  view.setUint32(8, crc32(copy.subarray(0, 8)));
  return copy;
}
