import fc from "fast-check";
import {
  concatBytes,
  decodeMessage,
  encodeMessage,
  eventMessage,
  exceptionMessage,
  PRELUDE_BYTES,
  withDeclaredHeadersLength,
  withDeclaredLength,
} from "./event-stream.js";
import { mutatedJson } from "./mutate.js";

/**
 * Damage to a binary event stream (Bedrock's ConverseStream body), one kind per arbitrary so a
 * failing case names what broke: a message's JSON damaged (CRCs kept valid, so the provider's
 * event handling is what is tested), bytes cut or flipped (CRCs no longer match), a prelude that
 * declares a huge message or more headers than the message holds, a wrong `:message-type`, an
 * exception message spliced in, or noise.
 */
export function mutatedEventStream(messages: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const at = fc.nat({ max: messages.length - 1 });
  const whole = concatBytes(messages);
  const byteAt = fc.nat({ max: whole.length - 1 });
  const replace = (index: number, ...by: Uint8Array[]) =>
    concatBytes([...messages.slice(0, index), ...by, ...messages.slice(index + 1)]);
  const frame = (index: number) => messages[index] ?? new Uint8Array(0);

  return fc.oneof(
    // A payload damaged as JSON, re-encoded with valid CRCs.
    at.chain((index) => {
      const message = decodeMessage(frame(index));
      let payload: unknown;
      try {
        payload = JSON.parse(new TextDecoder().decode(message.body));
      } catch {
        return fc.constant(whole);
      }
      return mutatedJson(payload).map((damaged) =>
        replace(
          index,
          encodeMessage({
            headers: message.headers,
            body: new TextEncoder().encode(JSON.stringify(damaged) ?? ""),
          }),
        ),
      );
    }),
    // Cut short: the body ends inside a message (or on a boundary).
    byteAt.map((cut) => whole.subarray(0, cut)),
    // Messages dropped, repeated or reordered: every frame valid, the sequence not.
    fc
      .array(at, { minLength: 0, maxLength: messages.length + 2 })
      .map((order) => concatBytes(order.map(frame))),
    // One byte flipped: a prelude field, a header, the payload or a CRC no longer matches.
    fc.tuple(byteAt, fc.integer({ min: 1, max: 255 })).map(([index, xor]) => {
      const copy = whole.slice();
      copy[index] = (copy[index] ?? 0) ^ xor;
      return copy;
    }),
    // A prelude that declares a message far larger than any limit, or just beyond the body.
    fc
      .tuple(at, fc.oneof(fc.constant(0xffffffff), fc.integer({ min: 0, max: 64 * 1024 * 1024 })))
      .map(([index, total]) => replace(index, withDeclaredLength(frame(index), total))),
    // More headers than the message holds, with a valid prelude CRC.
    fc
      .tuple(at, fc.oneof(fc.constant(0xffffffff), fc.integer({ min: 0, max: 4096 })))
      .map(([index, headers]) => replace(index, withDeclaredHeadersLength(frame(index), headers))),
    // A wrong, unknown or missing `:message-type`.
    fc
      .tuple(at, fc.constantFrom("error", "exception", "ping", "", undefined))
      .map(([index, type]) => {
        const message = decodeMessage(frame(index));
        const headers = { ...message.headers };
        if (type === undefined) delete headers[":message-type"];
        else headers[":message-type"] = { type: "string", value: type };
        return replace(index, encodeMessage({ headers, body: message.body }));
      }),
    // An exception message before any message, known or not, its payload JSON or not.
    fc
      .tuple(
        fc.nat({ max: messages.length }),
        fc.constantFrom(
          "throttlingException",
          "validationException",
          "modelStreamErrorException",
          "internalServerException",
          "serviceUnavailableException",
          "somethingNewException",
          "",
        ),
        fc.oneof(
          fc.string({ maxLength: 40 }).map((message) => JSON.stringify({ message })),
          fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 40 }),
        ),
      )
      .map(([index, type, payload]) =>
        concatBytes([
          ...messages.slice(0, index),
          exceptionMessage(type, payload),
          ...messages.slice(index),
        ]),
      ),
    // An event of an unknown or repeated type in the middle.
    fc
      .tuple(
        fc.nat({ max: messages.length }),
        fc.constantFrom("messageStart", "messageStop", "metadata", "contentBlockStop", "unknown"),
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      )
      .map(([index, type, payload]) =>
        concatBytes([
          ...messages.slice(0, index),
          eventMessage(type, payload),
          ...messages.slice(index),
        ]),
      ),
    // Noise, short or at least a prelude long.
    fc.uint8Array({ maxLength: 4 * PRELUDE_BYTES }),
  );
}
