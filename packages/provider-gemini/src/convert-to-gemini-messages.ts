import type { ImagePart, JsonObject, JsonValue, Message } from "@llm/core";
import { isRecord } from "@llm/core";
import type { GeminiContent, GeminiPart } from "./gemini-api.js";

/**
 * Gemini validates thought signatures on function calls from Gemini 3 on. A
 * call we cannot sign (its signature was not kept, or the history was written
 * by hand or by another model) carries this documented placeholder instead.
 */
export const SKIP_THOUGHT_SIGNATURE = "skip_thought_signature_validator";

export interface GeminiPrompt {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
}

/**
 * Our messages → Gemini `contents` + `systemInstruction`. System messages
 * (wherever they are) become the one system instruction; assistant turns are
 * role `model`; tool results are `functionResponse` parts of a `user` turn.
 * Consecutive turns of the same role are merged, so parallel tool results
 * reach Gemini as one turn, as it expects.
 */
export function convertToGeminiMessages(messages: readonly Message[]): GeminiPrompt {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];

  const push = (role: "user" | "model", parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  for (const message of messages) {
    switch (message.role) {
      case "system":
        system.push({ text: message.content });
        break;
      case "user":
        push(
          "user",
          typeof message.content === "string"
            ? [{ text: message.content }]
            : message.content.map((part) =>
                part.type === "text" ? { text: part.text } : convertImage(part),
              ),
        );
        break;
      case "assistant":
        push("model", convertAssistant(message.content));
        break;
      case "tool":
        push(
          "user",
          message.content.map((result) => ({
            functionResponse: {
              name: result.toolName,
              response: toResponseObject(result.output, result.isError === true),
            },
          })),
        );
        break;
    }
  }

  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

function convertAssistant(
  content: Extract<Message, { role: "assistant" }>["content"],
): GeminiPart[] {
  if (typeof content === "string") return content ? [{ text: content }] : [];
  const parts: GeminiPart[] = [];
  let signature: string | undefined;
  let signed = false;
  for (const part of content) {
    switch (part.type) {
      case "text":
        if (part.text) parts.push({ text: part.text });
        break;
      case "reasoning":
        if (part.signature !== undefined) signature = part.signature;
        if (part.text) parts.push({ text: part.text, thought: true });
        break;
      case "tool-call": {
        const functionCall: GeminiPart = {
          functionCall: { name: part.toolName, args: toArgsObject(part.input) },
        };
        // The signature belongs to the first function call of the turn.
        if (!signed) {
          functionCall.thoughtSignature = signature ?? SKIP_THOUGHT_SIGNATURE;
          signed = true;
        }
        parts.push(functionCall);
        break;
      }
    }
  }
  return parts;
}

function convertImage(part: ImagePart): GeminiPart {
  const source = part.source;
  if (source.type === "base64")
    return { inlineData: { mimeType: source.mediaType, data: source.data } };
  // A data: URL is inline data in disguise; Gemini cannot fetch it.
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
  if (dataUrl)
    return { inlineData: { mimeType: dataUrl[1] as string, data: dataUrl[2] as string } };
  return { fileData: { mimeType: guessImageType(source.url), fileUri: source.url } };
}

const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  heic: "image/heic",
  heif: "image/heif",
};

function guessImageType(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return (extension && IMAGE_TYPES[extension]) || "image/jpeg";
}

/** Gemini's `args` is a Struct: anything but an object is wrapped. */
function toArgsObject(input: JsonValue): JsonObject {
  if (isRecord(input)) return input;
  return input === null ? {} : { value: input };
}

/** `functionResponse.response` is a Struct too; errors are marked so the model can tell. */
function toResponseObject(output: JsonValue, isError: boolean): JsonObject {
  if (isError) return { error: output };
  return isRecord(output) ? output : { result: output };
}
