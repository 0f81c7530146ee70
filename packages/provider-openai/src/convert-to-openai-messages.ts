import type { ImagePart, JsonValue, Message, ToolResultPart, UserContentPart } from "@llm/core";
import type { OpenAIContentPart, OpenAIMessageParam, OpenAIToolCallParam } from "./openai-api.js";

/**
 * Our messages → Chat Completions messages.
 *
 * Hot path: a system message, or a user / assistant message with string
 * content, already has the wire shape, so it is passed through as the same
 * object (no copy). Only structured content allocates.
 *
 * One `tool` message with N results becomes N wire messages: OpenAI takes one
 * `role: "tool"` message per call id. Reasoning parts are dropped — the Chat
 * Completions API has no field to send them back.
 */
export function convertToOpenAIMessages(messages: readonly Message[]): OpenAIMessageParam[] {
  const out: OpenAIMessageParam[] = [];
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
          out.push(message as { role: "assistant"; content: string });
          break;
        }
        let text = "";
        let toolCalls: OpenAIToolCallParam[] | undefined;
        for (const part of message.content) {
          if (part.type === "text") text += part.text;
          else if (part.type === "tool-call") {
            const call: OpenAIToolCallParam = {
              id: part.toolCallId,
              type: "function",
              function: { name: part.toolName, arguments: stringifyInput(part.input) },
            };
            if (toolCalls === undefined) toolCalls = [call];
            else toolCalls.push(call);
          }
        }
        out.push(
          toolCalls
            ? { role: "assistant", content: text === "" ? null : text, tool_calls: toolCalls }
            : { role: "assistant", content: text },
        );
        break;
      }
      case "tool":
        for (const part of message.content) out.push(convertToolResult(part));
        break;
    }
  }
  return out;
}

function convertUserPart(part: UserContentPart): OpenAIContentPart {
  return part.type === "text" ? part : { type: "image_url", image_url: { url: imageURL(part) } };
}

/** OpenAI takes images as URLs; inline data becomes a `data:` URL. */
export function imageURL(part: ImagePart): string {
  const source = part.source;
  return source.type === "url" ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

function convertToolResult(part: ToolResultPart): OpenAIMessageParam {
  return { role: "tool", tool_call_id: part.toolCallId, content: stringifyOutput(part.output) };
}

/** Tool-call arguments travel as a JSON string; a raw (unparsable) string input is sent back as it came. */
function stringifyInput(input: JsonValue): string {
  return typeof input === "string" ? input : JSON.stringify(input);
}

function stringifyOutput(output: JsonValue): string {
  return typeof output === "string" ? output : JSON.stringify(output);
}
