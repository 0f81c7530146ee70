/**
 * The Bedrock wire format (OpenAI-compatible Chat Completions, as scaffolded):
 * plain types plus cheap structural guards. No schema library on the hot path:
 * one `JSON.parse` per response or chunk, then `typeof` checks on the fields we
 * read. Change these types first when the real API differs.
 */
import { isRecord, type JsonObject, type JsonSchema } from "@llm/core";

export type BedrockMessageParam =
  | { role: "system"; content: string }
  | {
      role: "user";
      content:
        | string
        | ({ type: "text"; text: string } | { type: "image_url"; image_url: { url: string } })[];
    }
  | { role: "assistant"; content: string | null; tool_calls?: BedrockToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

export interface BedrockToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** The body we POST. Optional keys are absent, never `undefined`. */
export interface BedrockRequestBody {
  model: string;
  messages: BedrockMessageParam[];
  tools?: {
    type: "function";
    function: { name: string; description?: string; parameters: JsonObject };
  }[];
  temperature?: number;
  max_tokens?: number;
  response_format?: BedrockResponseFormat;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  [providerOption: string]: unknown;
}

/** `responseFormat` on the wire: JSON mode, or a JSON schema the answer must follow. */
export type BedrockResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; json_schema: { name: string; schema: JsonSchema; strict: boolean } };

export interface BedrockUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

interface WireToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

export interface BedrockResponse {
  id?: string;
  model?: string;
  choices: {
    message: { content?: string | null; tool_calls?: WireToolCall[] };
    finish_reason?: string | null;
  }[];
  usage?: BedrockUsage;
}

export interface BedrockChunk {
  id?: string;
  model?: string;
  choices?: {
    delta?: { content?: string | null; tool_calls?: WireToolCall[] };
    finish_reason?: string | null;
  }[];
  usage?: BedrockUsage | null;
  error?: { message?: string; type?: string };
}

export function isBedrockResponse(value: unknown): value is BedrockResponse {
  return isRecord(value) && Array.isArray(value.choices) && value.choices.every(isRecord);
}

export function isBedrockChunk(value: unknown): value is BedrockChunk {
  return isRecord(value) && (value.choices === undefined || Array.isArray(value.choices));
}
