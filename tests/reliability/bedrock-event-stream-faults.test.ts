import {
  InvalidRequestError,
  LimitExceededError,
  type LLMClient,
  ParseError,
  ProviderError,
  RateLimitError,
} from "@llm/core";
import { ConnectionPool } from "@llm/pool";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  concatBytes,
  encodeMessage,
  exceptionMessage,
  withDeclaredHeadersLength,
  withDeclaredLength,
} from "./support/event-stream.js";
import { clientFor } from "./support/provider-clients.js";
import { RawServer } from "./support/raw-server.js";
import { wireSample } from "./support/wire-samples.js";

/**
 * Each named fault of Bedrock's binary event stream, over a pool socket, ends in the error the
 * fuzz only promises is "some LLMError": which one, and whether it is retryable, is what a
 * retry or fallback middleware acts on.
 */

let server: RawServer;
let pool: ConnectionPool;
let client: LLMClient;
let messages: Uint8Array[];

beforeAll(async () => {
  const sample = await wireSample("bedrock");
  if (sample.stream.kind !== "binary") throw new Error("bedrock's sample stream is binary");
  messages = sample.stream.messages;
  server = await RawServer.start();
  pool = new ConnectionPool({ connections: 1 });
  client = clientFor("bedrock", server.origin, pool);
});

afterAll(async () => {
  await pool?.destroy();
  await server?.close();
});

/** The sample's messages with the one at `index` replaced by `by` (or dropped). */
const replaced = (index: number, ...by: Uint8Array[]) =>
  concatBytes([...messages.slice(0, index), ...by, ...messages.slice(index + 1)]);

const flipped = (bytes: Uint8Array, at: number) => {
  const copy = bytes.slice();
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
};

async function failureOf(body: Uint8Array): Promise<unknown> {
  server.reply = {
    status: 200,
    contentType: "application/vnd.amazon.eventstream",
    chunks: [body],
  };
  try {
    for await (const _ of client.stream({ messages: [{ role: "user", content: "hi" }] })) {
      // drain
    }
  } catch (error) {
    return error;
  }
  throw new Error("the stream ended cleanly");
}

describe("bedrock event stream faults over a pool socket", () => {
  it("fails a body cut inside a message with a ParseError", async () => {
    const whole = concatBytes(messages);
    const cut = concatBytes(messages.slice(0, 2)).length + 7;
    const error = await failureOf(whole.subarray(0, cut));
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ where: "event stream message 3", retryable: false });
  });

  it("fails a message whose CRC does not match with a ParseError", async () => {
    const second = messages[1] as Uint8Array;
    expect(await failureOf(replaced(1, flipped(second, second.length - 1)))).toBeInstanceOf(
      ParseError,
    );
    // The prelude's own CRC (bytes 8..11) is checked too.
    expect(await failureOf(replaced(1, flipped(second, 9)))).toBeInstanceOf(ParseError);
  });

  it("refuses a message declaring 1 GiB on its prelude, before buffering it", async () => {
    const error = await failureOf(
      replaced(1, withDeclaredLength(messages[1] as Uint8Array, 2 ** 30)),
    );
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: "lineBytes", value: 2 ** 30, retryable: false });
  });

  it("fails a message declaring more headers than it holds with a ParseError", async () => {
    const second = messages[1] as Uint8Array;
    const error = await failureOf(replaced(1, withDeclaredHeadersLength(second, second.length)));
    expect(error).toBeInstanceOf(ParseError);
  });

  it("maps exception messages as the same failure before the headers would be", async () => {
    const throttled = await failureOf(
      replaced(1, exceptionMessage("throttlingException", '{"message":"slow down"}')),
    );
    expect(throttled).toBeInstanceOf(RateLimitError);
    expect(throttled).toMatchObject({ retryable: true });
    const failedModel = await failureOf(
      replaced(1, exceptionMessage("modelStreamErrorException", '{"message":"boom"}')),
    );
    expect(failedModel).toBeInstanceOf(ProviderError);
    expect(failedModel).toMatchObject({ status: 424, retryable: true });
    const invalid = await failureOf(
      replaced(1, exceptionMessage("validationException", '{"message":"bad"}')),
    );
    expect(invalid).toBeInstanceOf(InvalidRequestError);
    expect(invalid).toMatchObject({ retryable: false });
  });

  it("treats an unknown exception type, or a non-JSON payload, as a retryable server error", async () => {
    const error = await failureOf(replaced(1, exceptionMessage("somethingNewException", "<html>")));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 500, retryable: true });
  });

  it("fails an `error` message (code in its headers) instead of reading it as an event", async () => {
    const error = await failureOf(
      replaced(
        1,
        encodeMessage({
          headers: {
            ":message-type": { type: "string", value: "error" },
            ":error-code": { type: "string", value: "InternalFailure" },
            ":error-message": { type: "string", value: "try again" },
          },
          body: new Uint8Array(0),
        }),
      ),
    );
    expect(error).toBeInstanceOf(ProviderError);
  });
});
