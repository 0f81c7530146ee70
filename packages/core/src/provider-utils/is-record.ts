/**
 * True for a plain JSON object: not `null`, not an array. Wire bodies, tool
 * inputs and error bodies arrive as `unknown`; every provider narrows them
 * with this one check before reading a field.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
