import type { JsonValue } from "@llm/core";
import { Unrepresentable } from "./unrepresentable.js";

/** Deeper than any real schema or tool input; a cycle or a crafted value stops here. */
const MAX_DEPTH = 64;

/**
 * `value` as JSON, checked: plain objects, arrays, strings, finite numbers,
 * booleans and null. Members set to `undefined` are dropped (as
 * `JSON.stringify` drops them); anything else (bytes, dates, functions,
 * class instances, NaN) is reported as unrepresentable at `where`.
 */
export function toJsonValue(value: unknown, where: string, depth = 0): JsonValue {
  if (depth > MAX_DEPTH) throw new Unrepresentable(`nested deeper than ${MAX_DEPTH}`, where);
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw new Unrepresentable(`a non-finite number`, where);
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => toJsonValue(item, `${where}[${index}]`, depth + 1));
  }
  if (typeof value === "object" && isPlain(value)) {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = toJsonValue(member, `${where}.${key}`, depth + 1);
    }
    return out;
  }
  throw new Unrepresentable(`a value of type ${describe(value)} (not JSON)`, where);
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (typeof value !== "object" || value === null) return typeof value;
  return value.constructor?.name ?? "object";
}
