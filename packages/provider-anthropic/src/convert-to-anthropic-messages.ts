import {
  type ImagePart,
  isRecord,
  type JsonObject,
  type JsonValue,
  type Message,
  type UserContentPart,
} from "@llm/core";
import type {
  AnthropicContentBlockParam,
  AnthropicImageSource,
  AnthropicMessageParam,
} from "./anthropic-api.js";

export interface AnthropicPrompt {
  /** All system messages, joined by a blank line (the API takes one top-level `system`). */
  system: string | undefined;
  messages: AnthropicMessageParam[];
}

/**
 * Our messages → Messages API `system` + `messages`.
 *
 * - System messages are hoisted into `system`, wherever they appear.
 * - Tool results travel in a `user` message as `tool_result` blocks.
 * - The API wants user and assistant turns to alternate, so consecutive
 *   messages of the same role (a tool result followed by a user question) are
 *   merged into one message.
 * - Reasoning parts are sent back as `thinking` blocks with their signature
 *   (required for multi-turn tool use with extended thinking); reasoning
 *   without a signature (from another provider) cannot be verified and is dropped.
 * - Empty text parts are dropped: the API rejects empty text blocks.
 *
 * Hot path: a user / assistant message with string content is passed through
 * as the same object.
 */
export function convertToAnthropicMessages(messages: readonly Message[]): AnthropicPrompt {
  let system: string | undefined;
  const out: AnthropicMessageParam[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as Message;
    let converted: AnthropicMessageParam;
    switch (message.role) {
      case "system":
        system = system === undefined ? message.content : `${system}\n\n${message.content}`;
        continue;
      case "user":
        converted =
          typeof message.content === "string"
            ? (message as AnthropicMessageParam)
            : { role: "user", content: message.content.map(convertUserPart) };
        break;
      case "assistant": {
        if (typeof message.content === "string") {
          converted = message as AnthropicMessageParam;
          break;
        }
        const blocks: AnthropicContentBlockParam[] = [];
        for (const part of message.content) {
          if (part.type === "text") {
            if (part.text !== "") blocks.push({ type: "text", text: part.text });
          } else if (part.type === "reasoning") {
            if (part.signature !== undefined) {
              blocks.push({ type: "thinking", thinking: part.text, signature: part.signature });
            }
          } else {
            blocks.push({
              type: "tool_use",
              id: part.toolCallId,
              name: part.toolName,
              input: toObject(part.input),
            });
          }
        }
        converted = { role: "assistant", content: blocks };
        break;
      }
      case "tool": {
        const blocks: AnthropicContentBlockParam[] = [];
        for (const part of message.content) {
          const block: AnthropicContentBlockParam = {
            type: "tool_result",
            tool_use_id: part.toolCallId,
            content: typeof part.output === "string" ? part.output : JSON.stringify(part.output),
          };
          if (part.isError) block.is_error = true;
          blocks.push(block);
        }
        converted = { role: "user", content: blocks };
        break;
      }
    }
    const previous = out[out.length - 1];
    if (previous !== undefined && previous.role === converted.role) {
      out[out.length - 1] = {
        role: previous.role,
        content: [...toBlocks(previous), ...toBlocks(converted)],
      };
    } else {
      out.push(converted);
    }
  }
  return { system, messages: out };
}

function toBlocks(message: AnthropicMessageParam): AnthropicContentBlockParam[] {
  return typeof message.content === "string"
    ? [{ type: "text", text: message.content }]
    : message.content;
}

function convertUserPart(part: UserContentPart): AnthropicContentBlockParam {
  return part.type === "text" ? part : { type: "image", source: imageSource(part) };
}

export function imageSource(part: ImagePart): AnthropicImageSource {
  const source = part.source;
  return source.type === "url"
    ? { type: "url", url: source.url }
    : { type: "base64", media_type: source.mediaType, data: source.data };
}

/** `tool_use.input` must be an object; a raw-string input (unparsable arguments) is parsed if it can be. */
function toObject(input: JsonValue): JsonObject {
  if (isRecord(input)) return input;
  if (typeof input === "string") {
    try {
      const parsed: unknown = JSON.parse(input);
      if (isRecord(parsed)) return parsed as JsonObject;
    } catch {
      // fall through: not JSON
    }
  }
  return {};
}
