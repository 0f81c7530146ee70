/**
 * How a shape problem names what it found: the kind of a value, never its
 * content — an answer may hold anything a user typed, and a wire body may
 * hold anything a server sent.
 */
export function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** Small enumerated values (versions, kinds, event types, counts) are safe to echo; anything else only by kind. */
export function describeValue(v: unknown): string {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "string" && v.length <= 24 && /^[\w-]*$/.test(v)) return JSON.stringify(v);
  return kindOf(v);
}

/** `path: expected what, got <kind>`: the one phrasing of a shape problem. */
export const expected = (path: string, what: string, got: unknown): string =>
  `${path}: expected ${what}, got ${kindOf(got)}`;
