/**
 * The Bedrock Runtime Converse / ConverseStream wire format: the single source
 * of truth for what this package sends and reads. Request types keep optional
 * keys absent (never `undefined`); response types say only what the client
 * relies on, read defensively past the guards.
 */
import { isRecord, type JsonObject, type JsonValue } from "@llm/core";

export interface BedrockTextBlock {
  text: string;
}

export interface BedrockImageBlock {
  image: { format: "png" | "jpeg" | "gif" | "webp"; source: { bytes: string } };
}

export interface BedrockToolUseBlock {
  toolUse: { toolUseId: string; name: string; input: JsonValue };
}

export interface BedrockToolResultBlock {
  toolResult: {
    toolUseId: string;
    content: Array<{ text: string } | { json: JsonValue }>;
    status?: "success" | "error";
  };
}

export interface BedrockReasoningBlock {
  reasoningContent: { reasoningText: { text: string; signature?: string } };
}

export type BedrockContentBlock =
  | BedrockTextBlock
  | BedrockImageBlock
  | BedrockToolUseBlock
  | BedrockToolResultBlock
  | BedrockReasoningBlock;

export interface BedrockMessage {
  role: "user" | "assistant";
  content: BedrockContentBlock[];
}

export interface BedrockInferenceConfig {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

export interface BedrockToolSpec {
  toolSpec: { name: string; description?: string; inputSchema: { json: JsonObject } };
}

export type BedrockToolChoice =
  | { auto: JsonObject }
  | { any: JsonObject }
  | { tool: { name: string } };

export interface BedrockToolConfig {
  tools: BedrockToolSpec[];
  toolChoice?: BedrockToolChoice;
}

/** The body of `POST /model/{modelId}/converse` and `/converse-stream` (the model is in the path). */
export interface BedrockConverseRequestBody {
  messages: BedrockMessage[];
  system?: BedrockTextBlock[];
  inferenceConfig?: BedrockInferenceConfig;
  toolConfig?: BedrockToolConfig;
  /** Model-specific fields (`top_k`, `thinking`…), passed through to the model. */
  additionalModelRequestFields?: JsonObject;
}

export interface BedrockUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** A response content block: any of the request's assistant-side blocks, read defensively. */
export interface BedrockResponseBlock {
  text?: string;
  /** `input` is read through `readNullableObject`: a tool's input is an object. */
  toolUse?: { toolUseId?: string; name?: string; input?: unknown };
  reasoningContent?: { reasoningText?: { text?: string; signature?: string } };
}

/** A whole Converse answer. */
export interface BedrockConverseResponse {
  output: { message: { role?: string; content: BedrockResponseBlock[] } };
  stopReason?: string;
  usage?: BedrockUsage;
  metrics?: { latencyMs?: number };
}

/** The guard for a Converse answer: an `output.message.content` array is all the client relies on. */
export function isBedrockConverseResponse(value: unknown): value is BedrockConverseResponse {
  if (!isRecord(value) || !isRecord(value.output)) return false;
  const message = value.output.message;
  return isRecord(message) && Array.isArray(message.content);
}

/** The payloads of ConverseStream's events, by `:event-type`. */
export interface BedrockContentBlockStart {
  contentBlockIndex?: number;
  start?: { toolUse?: { toolUseId?: string; name?: string } };
}

export interface BedrockContentBlockDelta {
  contentBlockIndex?: number;
  delta?: {
    text?: string;
    toolUse?: { input?: string };
    reasoningContent?: { text?: string; signature?: string };
  };
}

export interface BedrockMessageStop {
  stopReason?: string;
}

export interface BedrockStreamMetadata {
  usage?: BedrockUsage;
  metrics?: { latencyMs?: number };
}

/** An error body: `{"message": "..."}` (some services spell it `Message`). */
export interface BedrockErrorBody {
  message?: string;
  Message?: string;
}
