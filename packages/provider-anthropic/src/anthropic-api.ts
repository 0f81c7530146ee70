/**
 * The Anthropic Messages API wire format, as TypeScript types.
 *
 * No zod on purpose: bodies are parsed once by `JSON.parse` and read field by
 * field; the guards below check only what the client relies on.
 */
import type { JsonObject, JsonSchema } from "@llm/core";
import { isRecord } from "@llm/core";

// ── request ─────────────────────────────────────────────────────────────────

export type AnthropicImageSource =
  | { type: "base64"; media_type: string; data: string }
  | { type: "url"; url: string };

export type AnthropicContentBlockParam =
  | { type: "text"; text: string }
  | { type: "image"; source: AnthropicImageSource }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; input: JsonObject }
  | { type: "tool_result"; tool_use_id: string; content: string; is_error?: boolean };

export interface AnthropicMessageParam {
  role: "user" | "assistant";
  content: string | AnthropicContentBlockParam[];
}

export interface AnthropicToolParam {
  name: string;
  description?: string;
  input_schema: JsonSchema;
}

export type AnthropicToolChoiceParam =
  | { type: "auto" }
  | { type: "any" }
  | { type: "none" }
  | { type: "tool"; name: string };

/** The body we POST to `/v1/messages`. Optional keys are absent, never `undefined`. */
export interface AnthropicMessagesRequestBody {
  model: string;
  max_tokens: number;
  messages: AnthropicMessageParam[];
  system?: string;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  tools?: AnthropicToolParam[];
  tool_choice?: AnthropicToolChoiceParam;
  stream?: boolean;
  /** `providerOptions.anthropic` keys (`thinking`, `metadata`, …), merged last. */
  [providerOption: string]: unknown;
}

// ── response ────────────────────────────────────────────────────────────────

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

export type AnthropicContentBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature?: string }
  | { type: "redacted_thinking"; data: string }
  | { type: "tool_use"; id: string; name: string; input?: unknown }
  | { type: string; [key: string]: unknown };

export interface AnthropicMessage {
  id?: string;
  type?: string;
  role?: string;
  model?: string;
  content: AnthropicContentBlock[];
  stop_reason?: string | null;
  stop_sequence?: string | null;
  stop_details?: unknown;
  usage?: AnthropicUsage | null;
}

// ── stream events ───────────────────────────────────────────────────────────

export type AnthropicStreamEvent =
  | { type: "message_start"; message: AnthropicMessage }
  | { type: "content_block_start"; index: number; content_block: AnthropicContentBlock }
  | {
      type: "content_block_delta";
      index: number;
      delta:
        | { type: "text_delta"; text: string }
        | { type: "thinking_delta"; thinking: string }
        | { type: "signature_delta"; signature: string }
        | { type: "input_json_delta"; partial_json: string }
        | { type: string; [key: string]: unknown };
    }
  | { type: "content_block_stop"; index: number }
  | {
      type: "message_delta";
      delta: {
        stop_reason?: string | null;
        stop_sequence?: string | null;
        /** An object by the API (`{ type: "refusal", category, … }`); `unknown` so that only `readOptionalObject` reads it. */
        stop_details?: unknown;
      };
      usage?: AnthropicUsage | null;
    }
  | { type: "message_stop" }
  | { type: "ping" }
  | { type: "error"; error: AnthropicErrorObject };

// ── error ───────────────────────────────────────────────────────────────────

export interface AnthropicErrorObject {
  type?: string;
  message?: string;
}

// ── guards ──────────────────────────────────────────────────────────────────

/** A message: an object with a `content` array. */
export function isAnthropicMessage(value: unknown): value is AnthropicMessage {
  return isRecord(value) && Array.isArray(value.content);
}

/** A stream event: an object with a string `type`. */
export function isAnthropicStreamEvent(value: unknown): value is AnthropicStreamEvent {
  return isRecord(value) && typeof value.type === "string";
}
