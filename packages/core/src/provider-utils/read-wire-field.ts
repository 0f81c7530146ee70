import { ParseError } from "../errors/errors.js";
import type { JsonObject } from "../json.js";
import { kindOf } from "../shape/describe-value.js";

/*
 * Typed reads of a provider's wire fields, at its mapping points. The rule
 * (as the official SDKs and the AI SDK apply it): lenient on optional
 * metadata — a wrong-typed id, model, finish reason or usage count is dropped
 * and the documented default used — strict on content — a text delta, a tool
 * call's id, name or arguments of the wrong type is a `ParseError` naming the
 * provider and the JSON path, because passing it on or dropping it would hand
 * the caller a different answer than the one sent.
 *
 * typeof checks only: no allocation unless a field is wrong, so they cost
 * nothing per stream event. `path` is a constant (`choices[].delta.content`).
 */

/** A required string (content): the value, or a `ParseError` naming `provider` and `path`. */
export function readString(value: unknown, provider: string, path: string): string {
  if (typeof value === "string") return value;
  throw notAString(value, provider, path);
}

/**
 * Content that may be absent: `undefined` for `null`/`undefined`, the string
 * when it is one, a `ParseError` for anything else (a number, an array).
 */
export function readNullableString(
  value: unknown,
  provider: string,
  path: string,
): string | undefined {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return undefined;
  throw notAString(value, provider, path);
}

/**
 * Content that is a JSON object when present (Gemini's `functionCall.args`, a
 * protobuf Struct): `undefined` for `null`/`undefined`, the object when it is
 * a plain one, a `ParseError` for anything else — spread or passed on, a
 * string or an array would become a different tool input than the one sent.
 */
export function readNullableObject(
  value: unknown,
  provider: string,
  path: string,
): JsonObject | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "object" && !Array.isArray(value)) return value as JsonObject;
  throw new ParseError(`${provider} sent ${kindOf(value)} where an object belongs`, {
    where: path,
    provider,
  });
}

/** Optional metadata (an id, a model, a raw finish reason): the string, or `undefined` when it is not one. */
export function readOptionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * Optional metadata that is a JSON object by the API (Anthropic's
 * `stop_details`, Azure's filter verdicts): the object, or `undefined` for
 * anything else (a string, a list, `null`).
 */
export function readOptionalObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** A token count: a non-negative integer, or `undefined` for anything else (`"12"`, `-1`, `1.5`). */
export function readCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function notAString(value: unknown, provider: string, path: string): ParseError {
  return new ParseError(`${provider} sent ${kindOf(value)} where a string belongs`, {
    where: path,
    provider,
  });
}
