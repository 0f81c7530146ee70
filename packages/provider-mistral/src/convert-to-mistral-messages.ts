import type { ImagePart, JsonValue, Message, UserContentPart } from "@llm/core";
import type {
  MistralContentChunk,
  MistralMessageParam,
  MistralToolCallParam,
} from "./mistral-api.js";
import { toMistralToolCallId } from "./mistral-tool-call-id.js";

/**
 * Our messages → Mistral's.
 *
 * A system message, or a user message with string content, already has the wire
 * shape and is passed through as the same object. An assistant turn becomes one
 * message with its text (`""` when it only called tools: Mistral refuses a `null`
 * content) and its `tool_calls`; reasoning parts are not sent back. One `tool`
 * message with N results becomes N wire messages, each naming its function.
 * Tool call ids from other providers are rewritten to ones Mistral accepts
 * (see `toMistralToolCallId`).
 */
export function convertToMistralMessages(messages: readonly Message[]): MistralMessageParam[] {
  const out: MistralMessageParam[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as Message;
    switch (message.role) {
      case "system":
        out.push(message);
        break;
      case "user":
        out.push(
          typeof message.content === "string"
            ? (message as { role: "user"; content: string })
            : { role: "user", content: message.content.map(convertUserPart) },
        );
        break;
      case "assistant": {
        if (typeof message.content === "string") {
          out.push({ role: "assistant", content: message.content });
          break;
        }
        let text = "";
        let toolCalls: MistralToolCallParam[] | undefined;
        for (const part of message.content) {
          if (part.type === "text") text += part.text;
          else if (part.type === "tool-call") {
            const call: MistralToolCallParam = {
              id: toMistralToolCallId(part.toolCallId),
              type: "function",
              function: { name: part.toolName, arguments: stringify(part.input) },
            };
            if (toolCalls === undefined) toolCalls = [call];
            else toolCalls.push(call);
          }
        }
        out.push(
          toolCalls
            ? { role: "assistant", content: text, tool_calls: toolCalls }
            : { role: "assistant", content: text },
        );
        break;
      }
      case "tool":
        for (const part of message.content) {
          out.push({
            role: "tool",
            name: part.toolName,
            tool_call_id: toMistralToolCallId(part.toolCallId),
            content: stringify(part.output),
          });
        }
        break;
    }
  }
  return out;
}

function convertUserPart(part: UserContentPart): MistralContentChunk {
  return part.type === "text" ? part : { type: "image_url", image_url: imageURL(part) };
}

/** Mistral takes images as URLs; inline data becomes a `data:` URL. */
function imageURL(part: ImagePart): string {
  const source = part.source;
  return source.type === "url" ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

/** Arguments and results travel as JSON strings; a raw string is sent as it came. */
function stringify(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
