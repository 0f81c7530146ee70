import type { FinishReason } from "@llm/core";

/**
 * Gemini `finishReason` → our unified reason. Gemini says `STOP` even when
 * the turn ended in function calls, so the caller tells us whether it saw any.
 */
export function mapGeminiFinishReason(
  raw: string | undefined,
  hasToolCalls: boolean,
): FinishReason {
  switch (raw) {
    case "STOP":
      return hasToolCalls ? "tool-calls" : "stop";
    case "MAX_TOKENS":
      return "length";
    case "SAFETY":
    case "RECITATION":
    case "BLOCKLIST":
    case "PROHIBITED_CONTENT":
    case "SPII":
    case "IMAGE_SAFETY":
    case "IMAGE_PROHIBITED_CONTENT":
      return "content-filter";
    case "MALFORMED_FUNCTION_CALL":
    case "UNEXPECTED_TOOL_CALL":
    case "TOO_MANY_TOOL_CALLS":
      return "error";
    case undefined:
      // A stream cut before its last chunk, or a blocked prompt without candidates.
      return hasToolCalls ? "tool-calls" : "other";
    default:
      // LANGUAGE, OTHER, FINISH_REASON_UNSPECIFIED and reasons added later.
      return "other";
  }
}
