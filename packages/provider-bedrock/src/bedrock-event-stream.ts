import {
  type BinaryFrameDecoder,
  type BinaryFraming,
  LimitExceededError,
  ParseError,
  type ResolvedResponseLimits,
} from "@llm/core";
import { decodeEventStreamMessage, type EventStreamMessage } from "./event-stream-message.js";

/** One `application/vnd.amazon.eventstream` message, its headers read, its payload as text. */
export interface BedrockEventFrame {
  /** `:message-type`: `event`, `exception` or `error`. */
  messageType: string;
  /** `:event-type` of an event (`contentBlockDelta`…), `:exception-type` of an exception, `:error-code` of an error. */
  type: string;
  /** The JSON payload (an `error` message carries its text in `:error-message` instead). */
  payload: string;
}

/** Total length, headers length, prelude CRC: 4 bytes each. */
const PRELUDE_BYTES = 12;
/** Prelude + message CRC: the smallest valid message. */
const MIN_MESSAGE_BYTES = 16;
const PROVIDER = "bedrock";

/**
 * ConverseStream's body framing for core's `driveStream`: the messages are
 * cut by their length prelude as bytes arrive and decoded (CRCs checked) by
 * `decodeEventStreamMessage`. A message is this
 * stream's line and event at once, so it is bounded by the smaller of
 * `limits.maxLineBytes` and `limits.maxEventBytes` (the error names the one it
 * crossed), checked on its prelude before any of its body is buffered.
 */
export const bedrockEventStream: BinaryFraming<BedrockEventFrame> = {
  open: (limits) => new EventStreamFrameDecoder(limits),
};

const textDecoder = new TextDecoder();

export class EventStreamFrameDecoder implements BinaryFrameDecoder<BedrockEventFrame> {
  readonly #maxBytes: number;
  readonly #limit: "lineBytes" | "eventBytes";
  /** Bytes of messages not yet complete; `#used` of them are filled. */
  #buffer = new Uint8Array(0);
  #used = 0;
  #count = 0;

  constructor(limits: Pick<ResolvedResponseLimits, "maxLineBytes" | "maxEventBytes">) {
    const byLine = limits.maxLineBytes <= limits.maxEventBytes;
    this.#maxBytes = byLine ? limits.maxLineBytes : limits.maxEventBytes;
    this.#limit = byLine ? "lineBytes" : "eventBytes";
  }

  feed(chunk: Uint8Array): BedrockEventFrame[] {
    const frames: BedrockEventFrame[] = [];
    // Usually a chunk holds whole messages: decode them in place, copying nothing.
    let data = chunk;
    let offset = 0;
    if (this.#used > 0) {
      this.#append(chunk);
      data = this.#buffer.subarray(0, this.#used);
    }
    while (data.length - offset >= PRELUDE_BYTES) {
      const view = new DataView(data.buffer, data.byteOffset + offset, PRELUDE_BYTES);
      const total = view.getUint32(0);
      this.#check(total);
      if (data.length - offset < total) break;
      frames.push(this.#decode(data.subarray(offset, offset + total)));
      offset += total;
    }
    const rest = data.length - offset;
    if (data === chunk) {
      if (rest > 0) this.#append(chunk.subarray(offset));
    } else if (rest === 0) {
      this.#used = 0;
    } else {
      this.#buffer.copyWithin(0, offset, this.#used);
      this.#used = rest;
    }
    return frames;
  }

  end(): BedrockEventFrame[] {
    if (this.#used > 0) {
      throw new ParseError(
        `${PROVIDER} event stream ended inside a message (${this.#used} bytes left)`,
        { where: `event stream message ${this.#count + 1}`, provider: PROVIDER },
      );
    }
    return [];
  }

  #check(total: number): void {
    if (total > this.#maxBytes) {
      throw new LimitExceededError(
        this.#limit,
        this.#maxBytes,
        total,
        `${PROVIDER} event stream message ${this.#count + 1}`,
      );
    }
    if (total < MIN_MESSAGE_BYTES) {
      throw new ParseError(`${PROVIDER} event stream message declares ${total} bytes`, {
        where: `event stream message ${this.#count + 1}`,
        provider: PROVIDER,
      });
    }
  }

  #append(bytes: Uint8Array): void {
    const needed = this.#used + bytes.length;
    if (needed > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2, 1024));
      grown.set(this.#buffer.subarray(0, this.#used));
      this.#buffer = grown;
    }
    this.#buffer.set(bytes, this.#used);
    this.#used = needed;
  }

  #decode(bytes: Uint8Array): BedrockEventFrame {
    this.#count++;
    let message: EventStreamMessage;
    try {
      message = decodeEventStreamMessage(bytes);
    } catch (cause) {
      // Checksum mismatch or a malformed header block.
      throw new ParseError(`${PROVIDER} sent an event stream message that does not decode`, {
        where: `event stream message ${this.#count}`,
        provider: PROVIDER,
        cause,
      });
    }
    const headers = message.headers;
    const messageType = headers[":message-type"] ?? "event";
    const type =
      messageType === "exception"
        ? headers[":exception-type"]
        : messageType === "error"
          ? headers[":error-code"]
          : headers[":event-type"];
    const payload =
      messageType === "error"
        ? JSON.stringify({ message: headers[":error-message"] ?? "" })
        : textDecoder.decode(message.body);
    return { messageType, type: type ?? "", payload };
  }
}
