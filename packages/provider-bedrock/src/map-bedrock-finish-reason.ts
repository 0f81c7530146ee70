import type { FinishReason } from "@llm/core";

/**
 * Converse `stopReason` → our finish reason. `jsonTool`: the answer is the
 * forced `json` tool's input (structured output), so its `tool_use` is a stop.
 * A reason the API adds later degrades to `"other"`.
 */
export function mapBedrockFinishReason(raw: string | undefined, jsonTool = false): FinishReason {
  switch (raw) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "tool_use":
      return jsonTool ? "stop" : "tool-calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "guardrail_intervened":
    case "content_filtered":
      return "content-filter";
    default:
      return "other";
  }
}
