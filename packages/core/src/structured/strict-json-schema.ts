import type { JsonSchema, JsonValue } from "../json.js";

/** Keywords that strict structured outputs (OpenAI) reject outright. */
const UNSUPPORTED_IN_STRICT = [
  "allOf",
  "not",
  "if",
  "then",
  "else",
  "patternProperties",
  "dependentRequired",
  "dependentSchemas",
  "unevaluatedProperties",
] as const;

/** Sub-schema holders walked by the check: by keyword, a schema, a list or a map of schemas. */
const SCHEMA_KEYWORDS = ["items", "additionalItems", "contains"] as const;
const SCHEMA_LIST_KEYWORDS = ["anyOf", "oneOf", "prefixItems"] as const;
const SCHEMA_MAP_KEYWORDS = ["properties", "$defs", "definitions"] as const;

/** Deeper than this, the schema is treated as not strict-compatible rather than walked further. */
const MAX_DEPTH = 64;

/**
 * Whether `schema` can be sent with `strict: true` (OpenAI structured
 * outputs): an object at the root, every object closed
 * (`additionalProperties: false`) with every property required, and none of
 * the keywords strict mode rejects. A schema that fails this still works
 * non-strictly — the answer is then validated on our side only — whereas
 * sending it strictly would be refused with a 400.
 */
export function allowsStrictMode(schema: JsonSchema): boolean {
  if (schema.type !== "object") return false;
  return isStrictNode(schema, 0);
}

function isStrictNode(node: JsonValue | undefined, depth: number): boolean {
  if (node === undefined || typeof node === "boolean") return true;
  if (!isSchemaObject(node)) return false;
  if (depth > MAX_DEPTH) return false;
  for (const keyword of UNSUPPORTED_IN_STRICT) if (keyword in node) return false;
  if (isObjectType(node.type) || node.properties !== undefined) {
    if (node.additionalProperties !== false) return false;
    const properties = isSchemaObject(node.properties) ? Object.keys(node.properties) : [];
    const required = Array.isArray(node.required) ? node.required : [];
    for (const name of properties) if (!required.includes(name)) return false;
  }
  for (const keyword of SCHEMA_KEYWORDS) {
    if (!isStrictNode(node[keyword], depth + 1)) return false;
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const list = node[keyword];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return false;
    for (const item of list) if (!isStrictNode(item, depth + 1)) return false;
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const map = node[keyword];
    if (map === undefined) continue;
    if (!isSchemaObject(map)) return false;
    for (const key in map) if (!isStrictNode(map[key], depth + 1)) return false;
  }
  return true;
}

function isObjectType(type: JsonValue | undefined): boolean {
  return type === "object" || (Array.isArray(type) && type.includes("object"));
}

const isSchemaObject = (value: JsonValue | undefined): value is { [key: string]: JsonValue } =>
  typeof value === "object" && value !== null && !Array.isArray(value);
