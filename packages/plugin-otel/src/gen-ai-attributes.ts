import type { ChatRequest, ChatResponse } from "@llm/core";
import type { Attributes } from "@opentelemetry/api";

/** Request attributes after the OpenTelemetry GenAI semantic conventions. */
export function requestAttributes(request: ChatRequest, captureContent: boolean): Attributes {
  const attributes: Attributes = {};
  if (request.model !== undefined) attributes["gen_ai.request.model"] = request.model;
  if (request.temperature !== undefined)
    attributes["gen_ai.request.temperature"] = request.temperature;
  if (request.topP !== undefined) attributes["gen_ai.request.top_p"] = request.topP;
  if (request.maxTokens !== undefined) attributes["gen_ai.request.max_tokens"] = request.maxTokens;
  if (request.seed !== undefined) attributes["gen_ai.request.seed"] = request.seed;
  if (request.tools?.length) attributes["llm.request.tools"] = request.tools.map((t) => t.name);
  if (captureContent) attributes["gen_ai.prompt"] = JSON.stringify(request.messages);
  return attributes;
}

export function responseAttributes(response: ChatResponse, captureContent: boolean): Attributes {
  const attributes: Attributes = {
    "gen_ai.response.id": response.id,
    "gen_ai.response.model": response.model,
    "gen_ai.response.finish_reasons": [response.finishReason],
    "gen_ai.usage.input_tokens": response.usage.inputTokens,
    "gen_ai.usage.output_tokens": response.usage.outputTokens,
    "llm.response.origin":
      response.origin.type === "cache" ? `cache:${response.origin.level}` : "upstream",
  };
  if (response.usage.cachedInputTokens !== undefined) {
    attributes["gen_ai.usage.cached_input_tokens"] = response.usage.cachedInputTokens;
  }
  if (response.requestId !== undefined) attributes["llm.response.request_id"] = response.requestId;
  if (captureContent) attributes["gen_ai.completion"] = response.text;
  return attributes;
}
