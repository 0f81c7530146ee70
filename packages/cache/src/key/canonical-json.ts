/**
 * Canonical JSON for arbitrary values (tool schemas, tool inputs, provider
 * options): object keys sorted, `undefined` members dropped, non-finite
 * numbers as `null` — the same text for the same meaning, whatever order the
 * keys were written in. One pass, string concatenation, no intermediate
 * objects; keys are sorted only when they are not already in order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as object);
    default:
      // undefined, functions, symbols, bigint: JSON has no value for them.
      return "null";
  }
}

function canonicalArray(items: readonly unknown[]): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ",";
    out += canonicalJson(items[i]);
  }
  return `${out}]`;
}

interface WithToJSON {
  toJSON(): unknown;
}

/**
 * Quoted object keys, memoised: schemas repeat the same few keys ("type",
 * "properties", "description"), and a Map hit is cheaper than escaping.
 * Bounded so hostile input cannot grow it without limit.
 */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 4_096;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function canonicalObject(object: object): string {
  // Honour toJSON like JSON.stringify does: a `Secret` becomes "[REDACTED]", a Date its ISO text.
  if (typeof (object as Partial<WithToJSON>).toJSON === "function") {
    return canonicalJson((object as WithToJSON).toJSON());
  }
  const record = object as Record<string, unknown>;
  const keys = Object.keys(record);
  // Sort only when needed: objects written in order (common for small leaves) skip it.
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = record[key];
    if (member === undefined || typeof member === "function") continue;
    if (out.length > 1) out += ",";
    out += `${quoteKey(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}
