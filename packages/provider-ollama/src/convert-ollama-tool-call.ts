import { generateId, type JsonValue, parseToolArguments, type ToolCall } from "@llm/core";
import type { OllamaToolCall } from "./ollama-api.js";

/** One wire tool call → `ToolCall` (an id is made up when the server sends none, as Ollama does). */
export function convertOllamaToolCall(wire: OllamaToolCall): ToolCall {
  const fn = wire.function;
  const args: JsonValue = fn?.arguments ?? {};
  // Some Ollama-compatible servers send arguments as a JSON string, as OpenAI does.
  return {
    id: wire.id ?? generateId("call"),
    name: fn?.name ?? "",
    input: typeof args === "string" ? parseToolArguments(args) : args,
  };
}
