import { AIMessage, type BaseMessage, ChatMessage, ToolMessage } from "@langchain/core/messages";
import {
  type AssistantContentPart,
  InvalidRequestError,
  type JsonValue,
  type Message,
  type UserContentPart,
} from "@llm/core";

/**
 * LangChain messages → ours. Anything we cannot send faithfully (an audio
 * block, a function message, a tool result whose tool is unknown) is an
 * `InvalidRequestError` naming the message and the block — never silently dropped.
 */
export function toLLMKitMessages(messages: readonly BaseMessage[]): Message[] {
  const toolNames = new Map<string, string>();
  return messages.map((message, index) => toMessage(message, `messages[${index}]`, toolNames));
}

function toMessage(message: BaseMessage, where: string, toolNames: Map<string, string>): Message {
  const role = ChatMessage.isInstance(message) ? chatRole(message.role, where) : message.type;
  switch (role) {
    case "system":
    case "developer":
      return { role: "system", content: textOnly(message, where) };
    case "human":
      return { role: "user", content: userContent(message.content, where) };
    case "ai":
      return { role: "assistant", content: assistantContent(message, where, toolNames) };
    case "tool":
      return toolResult(message, where, toolNames);
    default:
      throw new InvalidRequestError(
        `${where}: "${role}" messages are not supported (system, human, ai and tool are)`,
      );
  }
}

function chatRole(role: string, where: string): string {
  if (role === "user") return "human";
  if (role === "assistant") return "ai";
  if (role === "system" || role === "developer") return role;
  throw new InvalidRequestError(`${where}.role: expected system, user or assistant, got "${role}"`);
}

function textOnly(message: BaseMessage, where: string): string {
  if (typeof message.content === "string") return message.content;
  return message.content
    .map((block, i) => {
      if (block.type === "text" && typeof block.text === "string") return block.text;
      throw new InvalidRequestError(
        `${where}.content[${i}]: expected a text block, got "${String(block.type)}"`,
      );
    })
    .join("");
}

function userContent(content: BaseMessage["content"], where: string): string | UserContentPart[] {
  if (typeof content === "string") return content;
  return content.map((block, i): UserContentPart => {
    const at = `${where}.content[${i}]`;
    if (block.type === "text" && typeof block.text === "string")
      return { type: "text", text: block.text };
    if (block.type === "image_url") {
      const image = (block as { image_url?: unknown }).image_url;
      const url = typeof image === "string" ? image : (image as { url?: unknown } | undefined)?.url;
      if (typeof url === "string") return imageFromURL(url);
    }
    if (block.type === "image") {
      const b = block as { url?: unknown; data?: unknown; mimeType?: unknown; mime_type?: unknown };
      if (typeof b.url === "string") return imageFromURL(b.url);
      const mediaType = b.mimeType ?? b.mime_type;
      if (typeof b.data === "string" && typeof mediaType === "string")
        return { type: "image", source: { type: "base64", mediaType, data: b.data } };
    }
    throw new InvalidRequestError(
      `${at}: unsupported content block "${String(block.type)}" (text and images are)`,
    );
  });
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function imageFromURL(url: string): UserContentPart {
  const data = DATA_URL.exec(url);
  return data
    ? { type: "image", source: { type: "base64", mediaType: data[1]!, data: data[2]! } }
    : { type: "image", source: { type: "url", url } };
}

function assistantContent(
  message: BaseMessage,
  where: string,
  toolNames: Map<string, string>,
): string | AssistantContentPart[] {
  const text =
    typeof message.content === "string" ? message.content : textOnlyOrToolUse(message, where);
  const calls = AIMessage.isInstance(message) ? (message.tool_calls ?? []) : [];
  if (calls.length === 0) return text;
  const parts: AssistantContentPart[] = text === "" ? [] : [{ type: "text", text }];
  calls.forEach((call, i) => {
    if (call.id === undefined || call.id === "")
      throw new InvalidRequestError(
        `${where}.tool_calls[${i}]: a tool call needs an id to be answered`,
      );
    toolNames.set(call.id, call.name);
    parts.push({
      type: "tool-call",
      toolCallId: call.id,
      toolName: call.name,
      input: call.args as JsonValue,
    });
  });
  return parts;
}

/** An AI message's text; provider-specific tool-use blocks are skipped (its `tool_calls` carry them). */
function textOnlyOrToolUse(message: BaseMessage, where: string): string {
  const content = message.content as Array<{ type?: unknown; text?: unknown }>;
  return content
    .map((block, i) => {
      if (block.type === "text" && typeof block.text === "string") return block.text;
      if (block.type === "tool_use" || block.type === "tool_call" || block.type === "functionCall")
        return "";
      throw new InvalidRequestError(
        `${where}.content[${i}]: unsupported content block "${String(block.type)}"`,
      );
    })
    .join("");
}

function toolResult(message: BaseMessage, where: string, toolNames: Map<string, string>): Message {
  if (!ToolMessage.isInstance(message))
    throw new InvalidRequestError(
      `${where}: a tool message must be a ToolMessage with a tool_call_id`,
    );
  const toolName = toolNames.get(message.tool_call_id) ?? message.name;
  if (toolName === undefined)
    throw new InvalidRequestError(
      `${where}.tool_call_id: no earlier AI tool call has id "${message.tool_call_id}" and the message has no name`,
    );
  const output: JsonValue =
    typeof message.content === "string" ? message.content : textOnly(message, where);
  return {
    role: "tool",
    content: [
      {
        type: "tool-result",
        toolCallId: message.tool_call_id,
        toolName,
        output,
        ...(message.status === "error" ? { isError: true } : {}),
      },
    ],
  };
}
