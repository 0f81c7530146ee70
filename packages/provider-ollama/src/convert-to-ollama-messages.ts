import {
  type ImagePart,
  InvalidRequestError,
  isRecord,
  type JsonObject,
  type JsonValue,
  type Message,
} from "@llm/core";
import type { OllamaMessage, OllamaToolCall } from "./ollama-api.js";

/**
 * Our messages → Ollama's. Ollama keeps OpenAI's roles, but images are a
 * separate base64 array on the message, tool-call arguments are objects, a
 * tool result names its tool (`tool_name`) instead of a call id, and the
 * reasoning of an earlier turn goes back as `thinking`.
 */
export function convertToOllamaMessages(messages: readonly Message[]): OllamaMessage[] {
  const out: OllamaMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
        out.push({ role: "system", content: message.content });
        break;
      case "user": {
        if (typeof message.content === "string") {
          out.push({ role: "user", content: message.content });
          break;
        }
        let content = "";
        const images: string[] = [];
        for (const part of message.content) {
          if (part.type === "text") content += content ? `\n${part.text}` : part.text;
          else images.push(imageData(part));
        }
        out.push(images.length > 0 ? { role: "user", content, images } : { role: "user", content });
        break;
      }
      case "assistant": {
        if (typeof message.content === "string") {
          out.push({ role: "assistant", content: message.content });
          break;
        }
        let content = "";
        let thinking = "";
        const toolCalls: OllamaToolCall[] = [];
        for (const part of message.content) {
          if (part.type === "text") content += part.text;
          else if (part.type === "reasoning") thinking += part.text;
          else
            toolCalls.push({
              function: { name: part.toolName, arguments: toArgsObject(part.input) },
            });
        }
        const converted: OllamaMessage = { role: "assistant", content };
        if (thinking) converted.thinking = thinking;
        if (toolCalls.length > 0) converted.tool_calls = toolCalls;
        out.push(converted);
        break;
      }
      case "tool":
        for (const result of message.content) {
          out.push({
            role: "tool",
            tool_name: result.toolName,
            content:
              typeof result.output === "string" ? result.output : JSON.stringify(result.output),
          });
        }
        break;
    }
  }
  return out;
}

/** Ollama takes base64 only: a `data:` URL is unwrapped, a web URL is refused before any call. */
function imageData(part: ImagePart): string {
  const source = part.source;
  if (source.type === "base64") return source.data;
  const dataUrl = /^data:[^;,]+;base64,(.*)$/s.exec(source.url);
  if (dataUrl) return dataUrl[1] as string;
  throw new InvalidRequestError(
    'ollama accepts images as base64 data only, not URLs: download the image and pass { type: "base64", mediaType, data }',
    { provider: "ollama" },
  );
}

function toArgsObject(input: JsonValue): JsonObject {
  if (isRecord(input)) return input;
  return input === null ? {} : { value: input };
}
