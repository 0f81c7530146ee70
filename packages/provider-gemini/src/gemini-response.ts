import {
  type AssistantContentPart,
  type ChatResponse,
  generateId,
  readNullableObject,
  readNullableString,
  readOptionalString,
  type ToolCall,
} from "@llm/core";
import { convertGeminiUsage } from "./convert-gemini-usage.js";
import type { GeminiResponse } from "./gemini-api.js";
import { geminiToolCallMetadata, SIGNATURE_PATH } from "./gemini-tool-call-metadata.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";

export interface ResponseContext {
  /** The model we asked for; `modelVersion` wins when Gemini reports it. */
  model: string;
  requestId: string | undefined;
}

const UPSTREAM = Object.freeze({ type: "upstream" as const });

/**
 * A whole `generateContent` answer → `ChatResponse`. Content is ordered as
 * `collectStream` orders it (reasoning, text, tool calls), so a streamed and
 * a non-streamed call of the same answer compare equal.
 */
export function toChatResponse(response: GeminiResponse, context: ResponseContext): ChatResponse {
  const candidate = response.candidates?.[0];
  let text = "";
  let reasoning = "";
  let signature: string | undefined;
  const toolCalls: ToolCall[] = [];

  const parts = candidate?.content?.parts;
  if (parts) {
    for (const part of parts) {
      const partSignature = readNullableString(part.thoughtSignature, "gemini", SIGNATURE_PATH);
      if (partSignature !== undefined) signature = partSignature;
      if (part.functionCall) {
        const call = part.functionCall;
        const toolCall: ToolCall = {
          id:
            readNullableString(
              call.id,
              "gemini",
              "candidates[0].content.parts[].functionCall.id",
            ) ?? generateId("call"),
          name:
            readNullableString(
              call.name,
              "gemini",
              "candidates[0].content.parts[].functionCall.name",
            ) ?? "",
          input:
            readNullableObject(
              call.args,
              "gemini",
              "candidates[0].content.parts[].functionCall.args",
            ) ?? {},
        };
        const providerMetadata = geminiToolCallMetadata(partSignature);
        if (providerMetadata !== undefined) toolCall.providerMetadata = providerMetadata;
        toolCalls.push(toolCall);
      } else {
        const partText = readNullableString(
          part.text,
          "gemini",
          "candidates[0].content.parts[].text",
        );
        if (partText === undefined) continue;
        if (part.thought === true) reasoning += partText;
        else text += partText;
      }
    }
  }

  const content: AssistantContentPart[] = [];
  // The signature is kept only with reasoning text, exactly as the stream accumulator keeps it.
  if (reasoning) {
    content.push(
      signature === undefined
        ? { type: "reasoning", text: reasoning }
        : { type: "reasoning", text: reasoning, signature },
    );
  }
  if (text) content.push({ type: "text", text });
  for (const call of toolCalls) {
    content.push({
      type: "tool-call",
      toolCallId: call.id,
      toolName: call.name,
      input: call.input,
      ...(call.providerMetadata === undefined ? {} : { providerMetadata: call.providerMetadata }),
    });
  }

  const blockReason = response.promptFeedback?.blockReason;
  const rawFinishReason =
    readOptionalString(candidate?.finishReason) ?? readOptionalString(blockReason);
  const result: ChatResponse = {
    id: readOptionalString(response.responseId) ?? generateId("gemini"),
    model: readOptionalString(response.modelVersion) ?? context.model,
    provider: "gemini",
    text,
    content,
    toolCalls,
    finishReason:
      blockReason !== undefined && candidate === undefined
        ? "content-filter"
        : mapGeminiFinishReason(rawFinishReason, toolCalls.length > 0),
    usage: convertGeminiUsage(response.usageMetadata),
    origin: UPSTREAM,
  };
  if (reasoning) result.reasoning = reasoning;
  if (rawFinishReason !== undefined) result.rawFinishReason = rawFinishReason;
  if (context.requestId !== undefined) result.requestId = context.requestId;
  return result;
}
