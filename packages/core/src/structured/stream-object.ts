import type { LLMClient } from "../client.js";
import { StreamAccumulator } from "../collect-stream.js";
import { LimitExceededError } from "../errors/errors.js";
import type { ChatResponse } from "../response.js";
import {
  callOptionsOf,
  checkBound,
  type ObjectRequest,
  type StreamObjectOptions,
  splitObjectRequest,
} from "./object-request.js";
import { PartialJsonParser } from "./partial-json.js";
import { validateObject } from "./validate-object.js";

/** `T` with every property optional, all the way down: what a half-streamed object looks like. */
export type PartialObject<T> = T extends readonly (infer U)[]
  ? PartialObject<U>[]
  : T extends object
    ? { [K in keyof T]?: PartialObject<T[K]> }
    : T;

/**
 * What `streamObject` yields: partials while the answer streams (not
 * validated — a partial is what the model has written so far, shaped like
 * `T` only if the model keeps to the schema), then the validated object once.
 */
export type ObjectStreamEvent<T> =
  | { type: "partial"; partial: PartialObject<T> }
  | { type: "object"; object: T; response: ChatResponse };

const DEFAULT_MAX_TEXT_LENGTH = 1 << 20;
const MAX_TEXT_LENGTH_LIMIT = 1 << 28;

/**
 * Streams one object matching `request.schema`: `partial` events as its JSON
 * arrives (parsed incrementally, see `PartialJsonParser`), then one `object`
 * event with the validated, typed object and the collected response. Throws
 * what the stream throws, `ObjectValidationError` when the whole answer does
 * not validate, and `LimitExceededError` past `maxTextLength`. Breaking out
 * of the loop aborts the request, as with any stream. No repairs: a stream
 * that went wrong is not re-asked (use `generateObject` with `maxRepairs`).
 */
export async function* streamObject<T>(
  client: LLMClient,
  request: ObjectRequest<T>,
  options?: StreamObjectOptions,
): AsyncGenerator<ObjectStreamEvent<T>, void, undefined> {
  const maxTextLength = checkBound(
    "maxTextLength",
    options?.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH,
    1,
    MAX_TEXT_LENGTH_LIMIT,
  );
  const maxDepth = checkBound("maxDepth", options?.maxDepth ?? 64, 1, 1024);
  const { chat, format, schema } = splitObjectRequest(request);
  const parser = new PartialJsonParser({ maxDepth });
  const accumulator = new StreamAccumulator();
  for await (const event of client.stream(chat, callOptionsOf(options))) {
    accumulator.add(event);
    if (event.type !== "text-delta") continue;
    parser.push(event.delta);
    if (parser.text.length > maxTextLength) {
      throw new LimitExceededError(
        "bodyBytes",
        maxTextLength,
        parser.text.length,
        "streamObject answer text",
        {
          provider: client.provider,
        },
      );
    }
    const partial = parser.take();
    if (typeof partial === "object" && partial !== null && !Array.isArray(partial)) {
      yield { type: "partial", partial: partial as PartialObject<T> };
    }
  }
  const response = accumulator.toResponse();
  yield { type: "object", object: await validateObject(schema, format.name, response), response };
}
