import { crc32 } from "node:zlib";

/**
 * The headers of an `application/vnd.amazon.eventstream` message that Bedrock's
 * ConverseStream reads, when present with a string value. Every other header
 * is still walked (its type and length checked) but not decoded.
 */
export interface EventStreamHeaders {
  ":message-type"?: string;
  ":event-type"?: string;
  ":exception-type"?: string;
  ":error-code"?: string;
  ":error-message"?: string;
}

export interface EventStreamMessage {
  headers: EventStreamHeaders;
  /** The payload, a view into the message's bytes (not a copy). */
  body: Uint8Array;
}

/** Why a message does not decode: a checksum mismatch or a malformed header block. */
export class EventStreamFormatError extends Error {
  override readonly name = "EventStreamFormatError";
}

/** Total length, headers length, prelude CRC. */
const PRELUDE_BYTES = 12;
const MESSAGE_CRC_BYTES = 4;

const WANTED = [":message-type", ":event-type", ":exception-type", ":error-code", ":error-message"];
const WANTED_BYTES = WANTED.map((name) => Buffer.from(name, "latin1"));

/**
 * Value bytes by header type: booleans (0, 1) carry none, then byte, short,
 * int, long; binary (6) and string (7) give theirs in a u16 first (-1 here);
 * timestamp, uuid.
 */
const VALUE_BYTES: readonly number[] = [0, 0, 1, 2, 4, 8, -1, -1, 8, 16];
const BINARY = 6;
const STRING = 7;

/**
 * Decodes one whole message (the caller cut it by its length prelude): both
 * CRC32s verified with node's zlib (the whole message's continues from the
 * prelude's, as the format specifies), then the header block walked by type.
 * What smithy's `EventStreamCodec.decode` does, without turning every header
 * into an object and every name into a string on each of a stream's messages.
 */
export function decodeEventStreamMessage(message: Uint8Array): EventStreamMessage {
  const length = message.byteLength;
  if (length < PRELUDE_BYTES + MESSAGE_CRC_BYTES) {
    throw new EventStreamFormatError(`a message of ${length} bytes is shorter than its framing`);
  }
  const view = new DataView(message.buffer, message.byteOffset, length);
  if (view.getUint32(0) !== length) {
    throw new EventStreamFormatError("the message's length prelude does not match its bytes");
  }
  const headersLength = view.getUint32(4);
  const preludeCRC = crc32(message.subarray(0, 8));
  if (view.getUint32(8) !== preludeCRC) {
    throw new EventStreamFormatError("the prelude checksum does not match");
  }
  const crcAt = length - MESSAGE_CRC_BYTES;
  if (view.getUint32(crcAt) !== crc32(message.subarray(8, crcAt), preludeCRC)) {
    throw new EventStreamFormatError("the message checksum does not match");
  }
  const headersEnd = PRELUDE_BYTES + headersLength;
  if (headersEnd > crcAt) {
    throw new EventStreamFormatError("the header block runs past the message");
  }
  return {
    headers: readHeaders(message, view, headersEnd),
    body: message.subarray(headersEnd, crcAt),
  };
}

function readHeaders(message: Uint8Array, view: DataView, end: number): EventStreamHeaders {
  const headers: Record<string, string> = {};
  let at = PRELUDE_BYTES;
  while (at < end) {
    const nameLength = message[at++] as number;
    const nameAt = at;
    at += nameLength;
    if (at + 1 > end) throw malformed();
    const type = message[at++] as number;
    let valueLength = VALUE_BYTES[type];
    if (valueLength === undefined) {
      throw new EventStreamFormatError(`a header has the unknown value type ${type}`);
    }
    if (type === BINARY || type === STRING) {
      if (at + 2 > end) throw malformed();
      valueLength = view.getUint16(at);
      at += 2;
    }
    if (at + valueLength > end) throw malformed();
    if (type === STRING) {
      const wanted = wantedName(message, nameAt, nameLength);
      if (wanted !== undefined) {
        headers[wanted] = Buffer.from(
          message.buffer,
          message.byteOffset + at,
          valueLength,
        ).toString("utf8");
      }
    }
    at += valueLength;
  }
  return headers;
}

/** The wanted header name these bytes spell, compared without decoding them. */
function wantedName(message: Uint8Array, at: number, length: number): string | undefined {
  for (let i = 0; i < WANTED_BYTES.length; i++) {
    const name = WANTED_BYTES[i] as Buffer;
    if (name.length !== length) continue;
    let same = true;
    for (let j = 0; j < length; j++) {
      if (message[at + j] !== name[j]) {
        same = false;
        break;
      }
    }
    if (same) return WANTED[i];
  }
  return undefined;
}

function malformed(): EventStreamFormatError {
  return new EventStreamFormatError("a header runs past the header block");
}
