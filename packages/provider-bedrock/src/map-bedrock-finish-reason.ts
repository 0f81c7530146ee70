import type { FinishReason } from "@llm/core";

/** The wire finish reason → our unified one (the raw value is kept as `rawFinishReason`). */
export function mapBedrockFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "tool_calls":
      return "tool-calls";
    case "content_filter":
      return "content-filter";
    default:
      return "other";
  }
}
