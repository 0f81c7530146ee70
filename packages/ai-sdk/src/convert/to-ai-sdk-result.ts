import type { ChatResponse, JsonObject } from "@llm/core";
import type { ReplayedContent, ReplayedGenerateResult, ReplayedMetadata } from "../ai-sdk-spec.js";
import { toAiSdkFinishReason, toAiSdkUsage } from "./usage.js";

/**
 * What an AI SDK caller can read about where an answer came from:
 * `result.providerMetadata.llmKit.origin` is `{ type: "upstream" }` or
 * `{ type: "cache", level, key, ageMs }`.
 */
export function llmKitMetadata(
  response: Pick<ChatResponse, "origin" | "requestId" | "providerMetadata">,
): ReplayedMetadata {
  const meta: JsonObject = { origin: { ...response.origin } };
  if (response.requestId !== undefined) meta.requestId = response.requestId;
  const cacheKey = response.providerMetadata?.cacheKey;
  if (typeof cacheKey === "string") meta.cacheKey = cacheKey;
  return { llmKit: meta };
}

/** An llm-kit `ChatResponse` as the result of an AI SDK `doGenerate`. */
export function toGenerateResult(response: ChatResponse): ReplayedGenerateResult {
  const content: ReplayedContent[] = [];
  for (const part of response.content) {
    if (part.type === "text") content.push({ type: "text", text: part.text });
    else if (part.type === "reasoning") content.push({ type: "reasoning", text: part.text });
    else {
      content.push({
        type: "tool-call",
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        input: JSON.stringify(part.input),
      });
    }
  }
  return {
    content,
    finishReason: toAiSdkFinishReason(response.finishReason, response.rawFinishReason),
    usage: toAiSdkUsage(response.usage),
    providerMetadata: llmKitMetadata(response),
    response: { id: response.id, modelId: response.model },
    warnings: [],
  };
}
