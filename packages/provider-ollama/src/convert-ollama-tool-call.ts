import {
  generateId,
  type JsonValue,
  parseToolArguments,
  readNullableString,
  type ToolCall,
} from "@llm/core";
import type { OllamaToolCall } from "./ollama-api.js";

/** One wire tool call → `ToolCall` (an id is made up when the server sends none, as Ollama does). */
export function convertOllamaToolCall(wire: OllamaToolCall): ToolCall {
  const fn = wire.function;
  const args: JsonValue = fn?.arguments ?? {};
  // Some Ollama-compatible servers send arguments as a JSON string, as OpenAI does.
  return {
    id: readNullableString(wire.id, "ollama", "message.tool_calls[].id") ?? generateId("call"),
    name: readNullableString(fn?.name, "ollama", "message.tool_calls[].function.name") ?? "",
    input: typeof args === "string" ? parseToolArguments(args) : args,
  };
}
