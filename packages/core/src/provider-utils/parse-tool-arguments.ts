import type { JsonValue } from "../json.js";

/**
 * Tool arguments arrive as a JSON string on the wire (OpenAI, Ollama-compatible
 * servers). Empty means "no arguments" (`{}`); text that is not JSON is passed
 * through as the raw string rather than failing the whole answer — the caller
 * can still show or repair it.
 */
export function parseToolArguments(args: string): JsonValue {
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args) as JsonValue;
  } catch {
    return args;
  }
}
