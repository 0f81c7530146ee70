import { ParseError } from "../errors/errors.js";
import type { JsonValue } from "../json.js";
import { redactSecrets } from "../redact.js";

export type SafeParseResult = { ok: true; value: JsonValue } | { ok: false; error: ParseError };

const EXCERPT_LENGTH = 80;

/** `JSON.parse` that returns a typed result instead of throwing. */
export function safeParseJSON(text: string, where = "JSON text"): SafeParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (cause) {
    const excerpt = text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
    return {
      ok: false,
      error: new ParseError(`Invalid JSON: ${redactSecrets(excerpt)}`, { where, cause }),
    };
  }
}
