import type { FinishReason } from "@llm/core";

/**
 * Mistral's `finish_reason` → our unified reason. `model_length` is the model's own
 * context filling up (as opposed to `length`, the request's `max_tokens`); `error`
 * means generation failed after it started. The raw value is kept by the caller.
 */
export function mapMistralFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
    case "model_length":
      return "length";
    case "tool_calls":
      return "tool-calls";
    case "error":
      return "error";
    default:
      return "other";
  }
}
