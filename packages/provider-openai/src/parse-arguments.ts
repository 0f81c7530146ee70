import type { JsonValue } from "@llm/core";

/**
 * Tool arguments are a JSON string on the wire. Empty means "no arguments"
 * (`{}`); text that is not JSON is passed through as the raw string rather
 * than failing the whole answer — the caller can still show or repair it.
 */
export function parseArguments(args: string): JsonValue {
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args) as JsonValue;
  } catch {
    return args;
  }
}
