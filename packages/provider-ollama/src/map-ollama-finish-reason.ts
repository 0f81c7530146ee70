import type { FinishReason } from "@llm/core";

/**
 * `done_reason` → our unified reason. Ollama says `stop` after tool calls
 * too, so the caller tells us whether it saw any. `load` / `unload` are
 * answers to an empty request that only (un)loaded the model.
 */
export function mapOllamaFinishReason(
  raw: string | undefined,
  hasToolCalls: boolean,
): FinishReason {
  if (hasToolCalls && (raw === "stop" || raw === undefined)) return "tool-calls";
  switch (raw) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    default:
      return "other";
  }
}
