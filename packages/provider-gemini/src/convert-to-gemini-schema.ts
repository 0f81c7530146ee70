import type { JsonObject, JsonValue } from "@llm/core";
import { isRecord } from "@llm/core";

/**
 * JSON Schema → the OpenAPI 3.0 subset Gemini accepts in `responseSchema` and
 * `functionDeclarations[].parameters`. Gemini rejects a request that carries
 * a keyword it does not know (`additionalProperties`, `$schema`, `$ref`, …),
 * so we keep only what it understands and rewrite what has an equivalent:
 * `const` → `enum`, `["string", "null"]` → `nullable`, `oneOf` → `anyOf`,
 * local `$ref`s inlined from `$defs` / `definitions`.
 */
const KEPT = new Set([
  "type",
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "default",
  "example",
  "propertyOrdering",
  "required",
]);

/** Deeper than this, a recursive `$ref` is cut to a plain object. */
const MAX_REF_DEPTH = 8;

type Defs = Record<string, JsonValue>;

export function convertToGeminiSchema(schema: JsonValue): JsonObject {
  if (!isRecord(schema)) return {};
  const defs: Defs = {
    ...(isRecord(schema.definitions) ? schema.definitions : {}),
    ...(isRecord(schema.$defs) ? schema.$defs : {}),
  };
  return convert(schema, defs, 0);
}

/** An object schema without properties: Gemini wants the `parameters` field left out instead. */
export function isEmptyObjectSchema(schema: JsonValue): boolean {
  return (
    isRecord(schema) &&
    schema.type === "object" &&
    (!isRecord(schema.properties) || Object.keys(schema.properties).length === 0)
  );
}

function convert(schema: JsonValue, defs: Defs, depth: number): JsonObject {
  if (!isRecord(schema)) return {};
  if (typeof schema.$ref === "string") return resolveRef(schema, defs, depth);

  const out: JsonObject = {};
  for (const key in schema) {
    if (KEPT.has(key)) out[key] = schema[key] as JsonValue;
  }

  const type = schema.type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== "null");
    if (nonNull.length < type.length) out.nullable = true;
    if (nonNull.length === 1) out.type = nonNull[0] as JsonValue;
    else {
      delete out.type;
      out.anyOf = nonNull.map((t) => ({ type: t }));
    }
  }
  if (schema.const !== undefined) out.enum = [schema.const];

  if (isRecord(schema.properties)) {
    const properties: JsonObject = {};
    for (const [name, value] of Object.entries(schema.properties)) {
      properties[name] = convert(value, defs, depth);
    }
    out.properties = properties;
  }
  if (schema.items !== undefined) {
    out.items = Array.isArray(schema.items)
      ? convert(schema.items[0] ?? {}, defs, depth)
      : convert(schema.items, defs, depth);
  }

  const union = Array.isArray(schema.anyOf)
    ? schema.anyOf
    : Array.isArray(schema.oneOf)
      ? schema.oneOf
      : undefined;
  if (union) {
    const nonNull = union.filter((s) => !(isRecord(s) && s.type === "null"));
    if (nonNull.length < union.length) out.nullable = true;
    if (nonNull.length === 1) Object.assign(out, convert(nonNull[0] as JsonValue, defs, depth));
    else out.anyOf = nonNull.map((s) => convert(s, defs, depth));
  }
  if (Array.isArray(schema.allOf)) {
    // Gemini has no allOf: merge the parts, later ones win.
    for (const part of schema.allOf) {
      const converted = convert(part, defs, depth);
      if (isRecord(out.properties) && isRecord(converted.properties)) {
        converted.properties = { ...out.properties, ...converted.properties };
      }
      Object.assign(out, converted);
    }
  }
  return out;
}

function resolveRef(schema: JsonObject, defs: Defs, depth: number): JsonObject {
  const ref = schema.$ref as string;
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  const target = match ? defs[decodeURIComponent(match[1] as string)] : undefined;
  if (target === undefined || depth >= MAX_REF_DEPTH) {
    const fallback: JsonObject = { type: "object" };
    if (typeof schema.description === "string") fallback.description = schema.description;
    return fallback;
  }
  const resolved = convert(target, defs, depth + 1);
  if (typeof schema.description === "string") resolved.description = schema.description;
  return resolved;
}
