import type { CallOptions } from "../client.js";
import { ConfigError } from "../errors/errors.js";
import type { ChatRequest } from "../request.js";
import {
  type JsonSchemaFormat,
  type ObjectSchemaOptions,
  objectResponseFormat,
} from "./object-schema.js";

/** A chat request that asks for one object of type `T` instead of text. */
export interface ObjectRequest<T>
  extends Omit<ChatRequest, "responseFormat">,
    ObjectSchemaOptions<T> {}

/** Everything of an `ObjectRequest` that is not a `ChatRequest`, split off. */
export interface SplitObjectRequest<T> {
  chat: ChatRequest;
  format: JsonSchemaFormat;
  schema: ObjectRequest<T>["schema"];
}

/**
 * The chat request actually sent: the caller's fields plus the `json_schema`
 * response format, so the schema is part of every cache key (two schemas
 * never share an answer) and each provider picks its native JSON mode.
 */
export function splitObjectRequest<T>(request: ObjectRequest<T>): SplitObjectRequest<T> {
  const { schema, jsonSchema, schemaName, schemaDescription, ...chat } = request;
  const format = objectResponseFormat({
    schema,
    ...(jsonSchema === undefined ? {} : { jsonSchema }),
    ...(schemaName === undefined ? {} : { schemaName }),
    ...(schemaDescription === undefined ? {} : { schemaDescription }),
  });
  return { chat: { ...chat, responseFormat: format }, format, schema };
}

/** Options of `generateObject` beyond the call's own. */
export interface GenerateObjectOptions extends CallOptions {
  /**
   * How many times a refused answer is sent back with its issues and the
   * model asked again (0–5). Default 0: the first refusal throws.
   */
  maxRepairs?: number;
}

/** Options of `streamObject` beyond the call's own. */
export interface StreamObjectOptions extends CallOptions {
  /** Longest answer read, in UTF-16 code units (the text is held whole). Default 1 048 576. */
  maxTextLength?: number;
  /** Deepest nesting followed for partials. Default 64. */
  maxDepth?: number;
}

export const MAX_REPAIRS = 5;

/** A bound given by the caller: an integer in `[min, max]`, or a `ConfigError` naming it. */
export function checkBound(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const message = `must be an integer from ${min} to ${max}`;
    throw new ConfigError(`Invalid ${name}: ${message}`, { issues: [{ path: name, message }] });
  }
  return value;
}

/** The call's own options, without ours, for the client. */
export function callOptionsOf(
  options: GenerateObjectOptions | StreamObjectOptions | undefined,
): CallOptions | undefined {
  if (options === undefined) return undefined;
  const {
    maxRepairs: _r,
    maxTextLength: _t,
    maxDepth: _d,
    ...call
  } = options as GenerateObjectOptions & StreamObjectOptions;
  return call;
}
