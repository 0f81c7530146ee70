import {
  type ImagePart,
  InvalidRequestError,
  isRecord,
  type JsonObject,
  type JsonValue,
  type Message,
  type ToolResultPart,
  type UserContentPart,
} from "@llm/core";
import type {
  BedrockContentBlock,
  BedrockImageBlock,
  BedrockMessage,
  BedrockTextBlock,
  BedrockToolResultBlock,
} from "./bedrock-api.js";

export interface BedrockPrompt {
  /** System messages, in order, as top-level `system` blocks. */
  system: BedrockTextBlock[] | undefined;
  messages: BedrockMessage[];
}

const PROVIDER = "bedrock";
const IMAGE_FORMATS: Record<string, BedrockImageBlock["image"]["format"]> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/jpg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/**
 * Our messages → Converse `system` + `messages` (content blocks only).
 *
 * - System messages are hoisted into `system`, wherever they appear.
 * - Tool results travel in a `user` message as `toolResult` blocks: an object
 *   output as `json`, anything else as `text`; `isError` → `status: "error"`.
 * - Converse wants user and assistant turns to alternate, so consecutive
 *   messages of the same role (a tool result then a question) are merged.
 * - Reasoning goes back as `reasoningContent` with its signature (required
 *   for tool use with extended thinking); unsigned reasoning is dropped.
 * - Empty text is dropped: Converse rejects blank text blocks.
 * - Images must be inline (base64): Converse reads no http URL, only S3,
 *   so a URL image is an `InvalidRequestError` naming the message.
 */
export function convertToBedrockMessages(messages: readonly Message[]): BedrockPrompt {
  let system: BedrockTextBlock[] | undefined;
  const out: BedrockMessage[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as Message;
    let converted: BedrockMessage;
    switch (message.role) {
      case "system":
        if (message.content !== "") {
          system ??= [];
          system.push({ text: message.content });
        }
        continue;
      case "user":
        converted = {
          role: "user",
          content:
            typeof message.content === "string"
              ? textBlocks(message.content)
              : message.content.flatMap((part) => userBlock(part, i)),
        };
        break;
      case "assistant": {
        if (typeof message.content === "string") {
          converted = { role: "assistant", content: textBlocks(message.content) };
          break;
        }
        const blocks: BedrockContentBlock[] = [];
        for (const part of message.content) {
          if (part.type === "text") {
            if (part.text !== "") blocks.push({ text: part.text });
          } else if (part.type === "reasoning") {
            if (part.signature !== undefined) {
              blocks.push({
                reasoningContent: { reasoningText: { text: part.text, signature: part.signature } },
              });
            }
          } else {
            blocks.push({
              toolUse: {
                toolUseId: part.toolCallId,
                name: part.toolName,
                input: toObject(part.input),
              },
            });
          }
        }
        converted = { role: "assistant", content: blocks };
        break;
      }
      case "tool":
        converted = { role: "user", content: message.content.map(toolResultBlock) };
        break;
    }
    if (converted.content.length === 0) continue;
    const previous = out[out.length - 1];
    if (previous !== undefined && previous.role === converted.role) {
      out[out.length - 1] = {
        role: previous.role,
        content: [...previous.content, ...converted.content],
      };
    } else {
      out.push(converted);
    }
  }
  return { system, messages: out };
}

function textBlocks(text: string): BedrockContentBlock[] {
  return text === "" ? [] : [{ text }];
}

function userBlock(part: UserContentPart, index: number): BedrockContentBlock[] {
  if (part.type === "text") return textBlocks(part.text);
  return [imageBlock(part, index)];
}

export function imageBlock(part: ImagePart, index: number): BedrockImageBlock {
  const source = part.source;
  if (source.type === "url") {
    throw new InvalidRequestError(
      `${PROVIDER} takes images as base64 data, not URLs (messages[${index}])`,
      { provider: PROVIDER },
    );
  }
  const format = IMAGE_FORMATS[source.mediaType.toLowerCase()];
  if (format === undefined) {
    throw new InvalidRequestError(
      `${PROVIDER} takes png, jpeg, gif or webp images, not ${source.mediaType} (messages[${index}])`,
      { provider: PROVIDER },
    );
  }
  return { image: { format, source: { bytes: source.data } } };
}

function toolResultBlock(part: ToolResultPart): BedrockToolResultBlock {
  const output = part.output;
  const block: BedrockToolResultBlock = {
    toolResult: {
      toolUseId: part.toolCallId,
      content: [
        isRecord(output)
          ? { json: output }
          : { text: typeof output === "string" ? output : JSON.stringify(output) },
      ],
    },
  };
  if (part.isError) block.toolResult.status = "error";
  return block;
}

/** `toolUse.input` must be an object; a raw-string input (unparsable arguments) is parsed if it can be. */
function toObject(input: JsonValue): JsonObject {
  if (isRecord(input)) return input;
  if (typeof input === "string") {
    try {
      const parsed: unknown = JSON.parse(input);
      if (isRecord(parsed)) return parsed as JsonObject;
    } catch {
      // not JSON: an empty input
    }
  }
  return {};
}
