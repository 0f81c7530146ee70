import type { z } from "zod";
import type { Env } from "./interpolate.js";
import type { PathSegment } from "./merge.js";

/**
 * `LLM__CLIENTS__FAST__MODEL=gpt-4o-mini` → `clients.fast.model`. Segments are
 * matched to the schema's keys ignoring case and underscores (`MAX_TOKENS` →
 * `maxTokens`); record keys (client names) are user keys and are lower-cased.
 */

export interface EnvOverride {
  variable: string;
  path: PathSegment[];
  value: unknown;
}

export const DEFAULT_ENV_PREFIX = "LLM__";

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType | undefined): ZodDef | undefined =>
  (schema as unknown as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;

const WRAPPERS = new Set([
  "optional",
  "nullable",
  "default",
  "prefault",
  "readonly",
  "catch",
  "nonoptional",
]);

/** Strips wrappers and transforms down to the schema that decides the shape. */
function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let guard = 0; guard < 32; guard++) {
    const def = defOf(current);
    if (!def) return current;
    if (WRAPPERS.has(def.type)) current = def.innerType;
    // A preprocess is pipe(transform → schema); a transform is pipe(schema → transform).
    else if (def.type === "pipe") current = defOf(def.in)?.type === "transform" ? def.out : def.in;
    else return current;
  }
  return current;
}

const normalizeKey = (key: string) => key.toLowerCase().replace(/[_-]/g, "");

/** The schema a child key leads to, and the key spelled as the schema spells it. */
function child(
  schema: z.ZodType | undefined,
  segment: string,
): { key: PathSegment; schema?: z.ZodType } {
  const node = unwrap(schema);
  const def = defOf(node);
  if (def?.type === "union" && def.options) {
    // A discriminated union (`cache.l2`: sqlite | redis | none): the option that has the key.
    const containers = def.options.filter((option) => {
      const type = defOf(unwrap(option))?.type;
      return type === "object" || type === "record" || type === "array";
    });
    const owner = containers.find((option) => hasKey(option, segment));
    const chosen = owner ?? containers[0];
    if (chosen) return child(chosen, segment);
  }
  if (def?.type === "object" && def.shape) {
    const wanted = normalizeKey(segment);
    const key = Object.keys(def.shape).find((k) => normalizeKey(k) === wanted);
    if (key !== undefined) return { key, schema: def.shape[key] };
    return { key: segment.toLowerCase() };
  }
  if (def?.type === "record") return { key: segment.toLowerCase(), ...withSchema(def.valueType) };
  if (def?.type === "array" && /^\d+$/.test(segment))
    return { key: Number(segment), ...withSchema(def.element) };
  return { key: segment.toLowerCase() };
}

function hasKey(schema: z.ZodType, segment: string): boolean {
  const shape = defOf(unwrap(schema))?.shape;
  const wanted = normalizeKey(segment);
  return shape !== undefined && Object.keys(shape).some((key) => normalizeKey(key) === wanted);
}

const withSchema = (schema: z.ZodType | undefined) => (schema ? { schema } : {});

/** True when the leaf only takes strings, so `"123"` must not become a number. */
function takesStringOnly(schema: z.ZodType | undefined): boolean {
  const def = defOf(unwrap(schema));
  if (!def) return false;
  if (def.type === "string" || def.type === "enum" || def.type === "literal") return true;
  if (def.type === "union" && def.options) {
    return def.options.every((option) => {
      const type = defOf(unwrap(option))?.type;
      return type === "string" || type === "number" || type === "custom";
    });
  }
  return false;
}

const JSON_LIKE = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[[{"][\s\S]*)$/;

function parseValue(raw: string, schema: z.ZodType | undefined): unknown {
  if (takesStringOnly(schema)) return raw;
  const trimmed = raw.trim();
  if (!JSON_LIKE.test(trimmed)) return raw;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return raw;
  }
}

/** Every `<prefix>…` variable as a path and a parsed value, sorted for a stable order. */
export function collectEnvOverrides(
  env: Env,
  schema: z.ZodType,
  prefix: string = DEFAULT_ENV_PREFIX,
): EnvOverride[] {
  const upperPrefix = prefix.toUpperCase();
  const out: EnvOverride[] = [];
  for (const variable of Object.keys(env).sort()) {
    const raw = env[variable];
    if (raw === undefined || !variable.toUpperCase().startsWith(upperPrefix)) continue;
    const segments = variable.slice(prefix.length).split("__");
    if (segments.some((s) => s === "")) continue;
    const path: PathSegment[] = [];
    let node: z.ZodType | undefined = schema;
    for (const segment of segments) {
      const next = child(node, segment);
      path.push(next.key);
      node = next.schema;
    }
    out.push({ variable, path, value: parseValue(raw, node) });
  }
  return out;
}
