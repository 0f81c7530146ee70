import type { JsonObject, JsonValue } from "./json.js";

/**
 * Provider-specific data, namespaced by provider type: `{ gemini: {
 * thoughtSignature: "…" } }`. Each provider reads only its own key and
 * documents its shape (e.g. `GeminiToolCallMetadata`); the rest is carried
 * through untouched, so a history can move between providers.
 */
export type ProviderMetadata = Record<string, JsonObject>;

export interface TextPart {
  type: "text";
  text: string;
}

/** An image given by URL or inline base64 data. */
export interface ImagePart {
  type: "image";
  source: { type: "url"; url: string } | { type: "base64"; mediaType: string; data: string };
}

/** Model reasoning ("thinking") that some providers return and expect back in multi-turn. */
export interface ReasoningPart {
  type: "reasoning";
  text: string;
  /** Opaque provider signature that must be echoed back unchanged (Anthropic). */
  signature?: string;
}

export interface ToolCallPart {
  type: "tool-call";
  toolCallId: string;
  toolName: string;
  /** The arguments, parsed from the provider's JSON. */
  input: JsonValue;
  /** Provider-specific data to send back with the call on the next turn. */
  providerMetadata?: ProviderMetadata;
}

export interface ToolResultPart {
  type: "tool-result";
  toolCallId: string;
  toolName: string;
  output: JsonValue;
  isError?: boolean;
}

export type UserContentPart = TextPart | ImagePart;
export type AssistantContentPart = TextPart | ReasoningPart | ToolCallPart;

export interface SystemMessage {
  role: "system";
  content: string;
}

export interface UserMessage {
  role: "user";
  content: string | UserContentPart[];
}

export interface AssistantMessage {
  role: "assistant";
  content: string | AssistantContentPart[];
}

export interface ToolMessage {
  role: "tool";
  content: ToolResultPart[];
}

export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;
