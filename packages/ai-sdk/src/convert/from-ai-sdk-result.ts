import type { LanguageModelV3GenerateResult, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import {
  type AssistantContentPart,
  type ChatResponse,
  generateId,
  type JsonValue,
  type StreamEvent,
  type ToolCall,
} from "@llm/core";
import { toLlmKitError } from "./ai-sdk-error.js";
import { fromAiSdkUsage } from "./usage.js";

/** Who answered, as the wrapped AI SDK model names itself. */
export interface ModelIdentity {
  provider: string;
  modelId: string;
}

/**
 * An AI SDK `doGenerate` result as an llm-kit `ChatResponse`, so that
 * `@llm/cache` can store it and the resilience middlewares can read it.
 * Text, reasoning and tool calls are kept; content llm-kit has no type for
 * (files, sources, provider-executed tool results) is not — see the README.
 */
export function fromGenerateResult(
  result: LanguageModelV3GenerateResult,
  model: ModelIdentity,
): ChatResponse {
  const content: AssistantContentPart[] = [];
  const toolCalls: ToolCall[] = [];
  let text = "";
  let reasoning = "";
  for (const part of result.content) {
    if (part.type === "text") {
      text += part.text;
      content.push({ type: "text", text: part.text });
    } else if (part.type === "reasoning") {
      reasoning += part.text;
      content.push({ type: "reasoning", text: part.text });
    } else if (part.type === "tool-call" && !part.providerExecuted) {
      const toolCall = {
        id: part.toolCallId,
        name: part.toolName,
        input: parseToolInput(part.input),
      };
      toolCalls.push(toolCall);
      content.push({
        type: "tool-call",
        toolCallId: toolCall.id,
        toolName: toolCall.name,
        input: toolCall.input,
      });
    }
  }
  const response: ChatResponse = {
    id: result.response?.id ?? generateId("aisdk"),
    model: result.response?.modelId ?? model.modelId,
    provider: model.provider,
    text,
    content,
    toolCalls,
    finishReason: result.finishReason.unified,
    usage: fromAiSdkUsage(result.usage),
    origin: { type: "upstream" },
  };
  if (reasoning) response.reasoning = reasoning;
  if (result.finishReason.raw !== undefined) response.rawFinishReason = result.finishReason.raw;
  return response;
}

/**
 * An AI SDK `doStream` stream as llm-kit stream events. A `start` event is
 * made from `response-metadata` (or, if content comes first, from the
 * model's identity); an in-band `error` part is thrown as an `LLMError`, so
 * retry and fallback see it; parts llm-kit has no event for are skipped.
 */
export async function* fromStreamParts(
  stream: ReadableStream<LanguageModelV3StreamPart>,
  model: ModelIdentity,
): AsyncGenerator<StreamEvent> {
  const reader = stream.getReader();
  const toolIndex = new Map<string, { index: number; toolName: string }>();
  let started = false;
  const start = (id?: string, modelId?: string): StreamEvent => {
    started = true;
    return {
      type: "start",
      id: id ?? generateId("aisdk"),
      model: modelId ?? model.modelId,
      provider: model.provider,
      origin: { type: "upstream" },
    };
  };
  const indexOf = (id: string, toolName: string) => {
    let known = toolIndex.get(id);
    if (known === undefined) {
      known = { index: toolIndex.size, toolName };
      toolIndex.set(id, known);
    }
    return known.index;
  };
  try {
    while (true) {
      const { done, value: part } = await reader.read();
      if (done) return;
      if (part.type === "response-metadata") {
        if (!started) yield start(part.id, part.modelId);
        continue;
      }
      if (part.type === "error") throw toLlmKitError(part.error, model.provider);
      if (!started && isContent(part)) yield start();
      switch (part.type) {
        case "text-delta":
          yield { type: "text-delta", delta: part.delta };
          break;
        case "reasoning-delta":
          yield { type: "reasoning-delta", delta: part.delta };
          break;
        case "tool-input-start":
          if (!part.providerExecuted) indexOf(part.id, part.toolName);
          break;
        case "tool-input-delta": {
          const known = toolIndex.get(part.id);
          if (known !== undefined) {
            yield {
              type: "tool-call-delta",
              index: known.index,
              toolCallId: part.id,
              toolName: known.toolName,
              argsDelta: part.delta,
            };
          }
          break;
        }
        case "tool-call":
          if (!part.providerExecuted) {
            yield {
              type: "tool-call",
              index: indexOf(part.toolCallId, part.toolName),
              toolCall: {
                id: part.toolCallId,
                name: part.toolName,
                input: parseToolInput(part.input),
              },
            };
          }
          break;
        case "finish": {
          if (!started) yield start();
          const usage = fromAiSdkUsage(part.usage);
          yield { type: "usage", usage };
          yield {
            type: "finish",
            finishReason: part.finishReason.unified,
            ...(part.finishReason.raw === undefined
              ? {}
              : { rawFinishReason: part.finishReason.raw }),
            usage,
          };
          break;
        }
        default:
          break; // stream-start, *-start/end markers, raw chunks, files, sources
      }
    }
  } finally {
    // Breaking out early (a cache joiner gone, a timeout) must stop the upstream stream.
    await reader.cancel().catch(() => {});
  }
}

const CONTENT_PARTS = new Set(["text-delta", "reasoning-delta", "tool-input-start", "tool-call"]);
const isContent = (part: LanguageModelV3StreamPart) => CONTENT_PARTS.has(part.type);

/**
 * A tool call's input as the AI SDK gives it (JSON text) as the parsed value
 * llm-kit keeps. Empty input is `{}` (a tool without parameters, as the AI
 * SDK reads it); text that is not JSON is kept as the string itself.
 */
function parseToolInput(input: string): JsonValue {
  if (input.trim() === "") return {};
  try {
    return JSON.parse(input) as JsonValue;
  } catch {
    return input;
  }
}
