import {
  generateId,
  parseToolArguments,
  readNullableObject,
  readNullableString,
  type ToolCall,
} from "@llm/core";
import type { OllamaToolCall } from "./ollama-api.js";

/** One wire tool call → `ToolCall` (an id is made up when the server sends none, as Ollama does). */
export function convertOllamaToolCall(wire: OllamaToolCall): ToolCall {
  const fn = wire.function;
  // Read as unknown: the type says what we send, not what a server may answer.
  const args: unknown = fn?.arguments;
  return {
    id: readNullableString(wire.id, "ollama", "message.tool_calls[].id") ?? generateId("call"),
    name: readNullableString(fn?.name, "ollama", "message.tool_calls[].function.name") ?? "",
    // An object; some Ollama-compatible servers send a JSON string, as OpenAI does.
    input:
      typeof args === "string"
        ? parseToolArguments(args)
        : (readNullableObject(args, "ollama", "message.tool_calls[].function.arguments") ?? {}),
  };
}
