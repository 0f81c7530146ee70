import { isRecord } from "@llm/core";
import type { Prng } from "./prng.js";

/** The subset of JSON Schema the sampler understands (enough for tool parameters). */
export interface JsonSchemaLike {
  type?: string | string[];
  properties?: Record<string, JsonSchemaLike>;
  required?: string[];
  items?: JsonSchemaLike;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  anyOf?: JsonSchemaLike[];
  oneOf?: JsonSchemaLike[];
  allOf?: JsonSchemaLike[];
  $ref?: string;
  $defs?: Record<string, JsonSchemaLike>;
  definitions?: Record<string, JsonSchemaLike>;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  minLength?: number;
}

const WORDS = ["alpha", "berlin", "copper", "delta", "ember", "falcon", "garnet", "harbor"];
const MAX_DEPTH = 6;

/**
 * Generates a value that satisfies a JSON Schema's types, enums and required properties.
 * Deterministic for a given PRNG state: the same schema and seed give the same value.
 */
export function sampleFromSchema(schema: unknown, prng: Prng): unknown {
  const root = isSchema(schema) ? schema : {};
  return sample(root, root, prng, 0, "value");
}

function isSchema(value: unknown): value is JsonSchemaLike {
  return isRecord(value);
}

function resolveRef(root: JsonSchemaLike, ref: string): JsonSchemaLike {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return {};
  const defs = match[1] === "$defs" ? root.$defs : root.definitions;
  return defs?.[match[2] as string] ?? {};
}

function sample(
  schema: JsonSchemaLike,
  root: JsonSchemaLike,
  prng: Prng,
  depth: number,
  name: string,
): unknown {
  if (schema.$ref !== undefined) {
    return depth > MAX_DEPTH
      ? null
      : sample(resolveRef(root, schema.$ref), root, prng, depth + 1, name);
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined && schema.enum.length > 0) return prng.pick(schema.enum);
  if (schema.default !== undefined) return schema.default;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined && alternatives.length > 0) {
    return sample(alternatives[0] as JsonSchemaLike, root, prng, depth + 1, name);
  }
  if (schema.allOf !== undefined) return sampleAllOf(schema.allOf, root, prng, depth, name);
  const type = pickType(schema);
  switch (type) {
    case "object":
      return sampleObject(schema, root, prng, depth);
    case "array": {
      if (depth > MAX_DEPTH) return [];
      const count = Math.max(schema.minItems ?? 1, 1);
      const items: unknown[] = [];
      for (let i = 0; i < count; i++) {
        items.push(sample(schema.items ?? { type: "string" }, root, prng, depth + 1, name));
      }
      return items;
    }
    case "integer":
    case "number": {
      const min = schema.minimum ?? 1;
      const max = schema.maximum ?? Math.max(min + 99, min);
      return prng.int(Math.ceil(min), Math.floor(max));
    }
    case "boolean":
      return prng.next() < 0.5;
    case "null":
      return null;
    default:
      return sampleString(schema, prng, name);
  }
}

function pickType(schema: JsonSchemaLike): string {
  // Gemini's OpenAPI-style schemas spell types in capitals ("OBJECT").
  if (Array.isArray(schema.type)) {
    const types = schema.type.map((t) => t.toLowerCase());
    return types.find((t) => t !== "null") ?? types[0] ?? "string";
  }
  if (schema.type !== undefined) return schema.type.toLowerCase();
  return schema.properties !== undefined ? "object" : "string";
}

function sampleObject(
  schema: JsonSchemaLike,
  root: JsonSchemaLike,
  prng: Prng,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > MAX_DEPTH) return out;
  const properties = schema.properties ?? {};
  for (const [key, child] of Object.entries(properties)) {
    out[key] = sample(child, root, prng, depth + 1, key);
  }
  // A required key without a property schema still has to be present.
  for (const key of schema.required ?? []) {
    if (!(key in out)) out[key] = sampleString({}, prng, key);
  }
  return out;
}

function sampleAllOf(
  parts: JsonSchemaLike[],
  root: JsonSchemaLike,
  prng: Prng,
  depth: number,
  name: string,
): unknown {
  let merged: unknown;
  for (const part of parts) {
    const value = sample(part, root, prng, depth + 1, name);
    merged =
      isSchema(merged) && isSchema(value)
        ? { ...merged, ...value }
        : merged === undefined
          ? value
          : merged;
  }
  return merged ?? null;
}

function sampleString(schema: JsonSchemaLike, prng: Prng, name: string): string {
  switch (schema.format) {
    case "date-time":
      return "2025-01-15T10:30:00Z";
    case "date":
      return "2025-01-15";
    case "email":
      return `${prng.pick(WORDS)}@example.com`;
    case "uri":
    case "url":
      return `https://example.com/${prng.pick(WORDS)}`;
    case "uuid":
      return "123e4567-e89b-42d3-a456-426614174000";
    default: {
      let text = `${name}-${prng.pick(WORDS)}`;
      while (text.length < (schema.minLength ?? 0)) text += `-${prng.pick(WORDS)}`;
      return text;
    }
  }
}
