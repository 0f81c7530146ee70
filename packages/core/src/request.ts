import type { JsonSchema, JsonValue } from "./json.js";
import type { Message } from "./messages.js";

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonSchema;
  /** Ask the provider to follow the schema exactly, where it supports that. */
  strict?: boolean;
}

export type ToolChoice = "auto" | "none" | "required" | { type: "tool"; name: string };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json" }
  | {
      type: "json_schema";
      name: string;
      schema: JsonSchema;
      description?: string;
      strict?: boolean;
    };

/**
 * One chat call, provider-neutral. Everything here may change the answer, so
 * `@llm/cache` keys on it — except `metadata`, which is for observability only.
 */
export interface ChatRequest {
  /** Model id; when omitted, the client's configured model is used. */
  model?: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  /** Provider-specific options, namespaced by provider type: `{ openai: { logprobs: true } }`. */
  providerOptions?: Record<string, Record<string, JsonValue>>;
  /** Labels for hooks, logs and tracing. Never sent upstream, never part of a cache key. */
  metadata?: Record<string, string>;
}
