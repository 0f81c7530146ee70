import { AIMessage, type UsageMetadata } from "@langchain/core/messages";
import type { ChatResponse, FinishReason, JsonObject, ToolCall, Usage } from "@llm/core";

/** Our usage → LangChain's `usage_metadata` (cached and reasoning tokens in the details). */
export function toUsageMetadata(usage: Usage): UsageMetadata {
  const metadata: UsageMetadata = {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedInputTokens !== undefined)
    metadata.input_token_details = { cache_read: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined)
    metadata.output_token_details = { reasoning: usage.reasoningTokens };
  return metadata;
}

/** What LangChain users read from `response_metadata`, plus where the answer came from (`origin`: upstream or a cache level). */
export function toResponseMetadata(
  response: Pick<
    ChatResponse,
    "model" | "provider" | "finishReason" | "rawFinishReason" | "requestId" | "origin"
  >,
): JsonObject {
  const metadata: JsonObject = {
    model_name: response.model,
    model_provider: response.provider,
    finish_reason: response.rawFinishReason ?? langChainFinishReason(response.finishReason),
    origin: { ...response.origin },
  };
  if (response.requestId !== undefined) metadata.request_id = response.requestId;
  return metadata;
}

/** Our unified finish reason in the spelling LangChain's OpenAI-style consumers expect. */
export function langChainFinishReason(reason: FinishReason): string {
  switch (reason) {
    case "tool-calls":
      return "tool_calls";
    case "content-filter":
      return "content_filter";
    default:
      return reason;
  }
}

/** A tool call's input as LangChain's `args` (always an object: a non-object input is wrapped as `{ input }`). */
export const toToolCallArgs = (call: ToolCall): Record<string, unknown> =>
  typeof call.input === "object" && call.input !== null && !Array.isArray(call.input)
    ? call.input
    : { input: call.input };

/** Our answer → LangChain's `AIMessage`. */
export function toAIMessage(response: ChatResponse): AIMessage {
  return new AIMessage({
    content: response.text,
    id: response.id,
    tool_calls: response.toolCalls.map((call) => ({
      id: call.id,
      name: call.name,
      args: toToolCallArgs(call),
      type: "tool_call" as const,
    })),
    usage_metadata: toUsageMetadata(response.usage),
    response_metadata: toResponseMetadata(response),
    additional_kwargs:
      response.reasoning === undefined ? {} : { reasoning_content: response.reasoning },
  });
}
