/**
 * The OpenAI Chat Completions wire format, as TypeScript types.
 *
 * Deliberately no zod: a response is parsed once by `JSON.parse` and then read
 * field by field; the guards below check only what the client relies on, so
 * validating a 300-chunk stream costs a few property reads per chunk.
 */
import type { FunctionToolChoiceParam, FunctionToolParam, ResponseFormatParam } from "@llm/core";
import { isRecord } from "@llm/core";

// ── request ─────────────────────────────────────────────────────────────────

export type OpenAIContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: string } };

export interface OpenAIToolCallParam {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type OpenAIMessageParam =
  | { role: "system" | "developer"; content: string }
  | { role: "user"; content: string | OpenAIContentPart[] }
  | { role: "assistant"; content: string | null; tool_calls?: OpenAIToolCallParam[] }
  | { role: "tool"; tool_call_id: string; content: string };

// The Chat Completions shapes core's converters write (Mistral and compatible servers share them).
export type OpenAIToolParam = FunctionToolParam;
export type OpenAIToolChoiceParam = FunctionToolChoiceParam;
export type OpenAIResponseFormatParam = ResponseFormatParam;

/** The body we POST to `/chat/completions`. Optional keys are absent, never `undefined`. */
export interface OpenAIChatRequestBody {
  model: string;
  messages: OpenAIMessageParam[];
  tools?: OpenAIToolParam[];
  tool_choice?: OpenAIToolChoiceParam;
  response_format?: OpenAIResponseFormatParam;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string[];
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  /** `providerOptions.openai` keys, merged last. */
  [providerOption: string]: unknown;
}

// ── response ────────────────────────────────────────────────────────────────

export interface OpenAIUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export interface OpenAIToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

export interface OpenAIResponseMessage {
  role?: string;
  content?: string | null;
  /** A string or null by the API; `unknown` so that only `readNullableString` reads it. */
  refusal?: unknown;
  tool_calls?: OpenAIToolCall[] | null;
  /** DeepSeek, vLLM, LM Studio: the model's visible reasoning. */
  reasoning_content?: string | null;
  /** OpenRouter's name for the same thing. */
  reasoning?: string | null;
}

export interface OpenAIChatResponse {
  id?: string;
  model?: string;
  choices: Array<{
    index?: number;
    message: OpenAIResponseMessage;
    finish_reason?: string | null;
  }>;
  usage?: OpenAIUsage | null;
  system_fingerprint?: string | null;
  service_tier?: string | null;
}

// ── stream chunk ────────────────────────────────────────────────────────────

export interface OpenAIChunkToolCall {
  index: number;
  id?: string | null;
  type?: string;
  function?: { name?: string | null; arguments?: string | null };
}

export interface OpenAIChatChunk {
  id?: string;
  model?: string;
  choices?: Array<{
    index?: number;
    delta?: {
      role?: string;
      content?: string | null;
      /** A string or null by the API; `unknown` so that only `readNullableString` reads it. */
      refusal?: unknown;
      tool_calls?: OpenAIChunkToolCall[] | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
    } | null;
    finish_reason?: string | null;
  }>;
  usage?: OpenAIUsage | null;
  /** Some servers (and OpenAI on rare failures) put an error object in the stream. */
  error?: OpenAIErrorObject;
}

// ── error ───────────────────────────────────────────────────────────────────

export interface OpenAIErrorObject {
  message?: string;
  type?: string | null;
  code?: string | number | null;
  param?: string | null;
}

export interface OpenAIErrorBody {
  error: OpenAIErrorObject;
}

// ── guards ──────────────────────────────────────────────────────────────────

/** A chat completion: an object with a `choices` array whose first entry has a `message`. */
export function isOpenAIChatResponse(value: unknown): value is OpenAIChatResponse {
  if (!isRecord(value) || !Array.isArray(value.choices)) return false;
  const first: unknown = value.choices[0];
  return first === undefined || (isRecord(first) && isRecord(first.message));
}

/** A stream chunk: any object (every field of a chunk is optional in practice). */
export function isOpenAIChatChunk(value: unknown): value is OpenAIChatChunk {
  return isRecord(value) && (value.choices === undefined || Array.isArray(value.choices));
}
