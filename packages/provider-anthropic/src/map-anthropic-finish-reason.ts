import type { FinishReason } from "@llm/core";

/**
 * Messages API `stop_reason` → our unified reason (the raw value is kept by
 * the caller). `jsonTool` is true when the request asked for JSON output and
 * the answer came through the forced `json` tool: then `tool_use` is the
 * normal end of an answer, not a request to run tools.
 */
export function mapAnthropicFinishReason(
  reason: string | null | undefined,
  jsonTool = false,
): FinishReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return jsonTool ? "stop" : "tool-calls";
    case "refusal":
      return "content-filter";
    default:
      return "other";
  }
}
