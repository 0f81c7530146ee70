/**
 * Canonical JSON for arbitrary values (tool schemas, tool inputs, provider
 * options): object keys sorted, `undefined` members dropped, non-finite
 * numbers as `null` — the same text for the same meaning, whatever order the
 * keys were written in. One pass, string concatenation, no intermediate
 * objects; keys are sorted only when they are not already in order.
 *
 * The text is exactly what `JSON.stringify` writes for the same value with
 * its keys sorted, so a key never depends on which writer produced it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return jsonString(value);
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

/**
 * Characters `JSON.stringify` escapes in a string: the quote, the backslash,
 * C0 controls, and surrogates (a lone one is written as `\udXXX`; any
 * surrogate sends the string to the native writer, which knows pairs).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: C0 controls are exactly what JSON escapes.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
/** Above this length the native writer's fixed cost no longer dominates. */
const SHORT_STRING = 256;

/**
 * `JSON.stringify(text)` for a string, without the native call for the short,
 * plain strings schemas are made of (names, types, descriptions): a regex
 * test and two concatenations cost about half of the call. Same output.
 */
export function jsonString(text: string): string {
  return text.length <= SHORT_STRING && !NEEDS_ESCAPE.test(text)
    ? `"${text}"`
    : JSON.stringify(text);
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
 * Object keys written as `"key":`, memoised: schemas repeat the same few keys
 * ("type", "properties", "description"), and a Map hit is cheaper than
 * escaping and concatenating. Bounded so hostile input cannot grow it
 * without limit.
 */
const keyPrefixes = new Map<string, string>();
const MAX_KEY_PREFIXES = 4_096;

function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `${JSON.stringify(key)}:`;
    if (keyPrefixes.size < MAX_KEY_PREFIXES) keyPrefixes.set(key, prefix);
  }
  return prefix;
}

/**
 * Sorts object keys in place, in the order `Array.prototype.sort()` gives
 * (UTF-16 code units). Schema objects have a handful of keys, often already in
 * order: an inline insertion sort settles them with a few comparisons and no
 * comparator calls; larger objects use the built-in sort.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 12) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
}

function canonicalObject(object: object): string {
  // Honour toJSON like JSON.stringify does: a `Secret` becomes "[REDACTED]", a Date its ISO text.
  if (typeof (object as Partial<WithToJSON>).toJSON === "function") {
    return canonicalJson((object as WithToJSON).toJSON());
  }
  const record = object as Record<string, unknown>;
  const keys = Object.keys(record);
  sortKeys(keys);
  let out = "{";
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = record[key];
    if (member === undefined || typeof member === "function") continue;
    if (first) first = false;
    else out += ",";
    // Two appends, not a template: no intermediate `"key":value` string per member.
    out += keyPrefix(key);
    out += canonicalJson(member);
  }
  return `${out}}`;
}
