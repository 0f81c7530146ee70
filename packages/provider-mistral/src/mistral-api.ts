/**
 * The Mistral chat completions and embeddings wire format, as TypeScript types
 * (field names from the official client's `$Outbound` / inbound schemas,
 * `@mistralai/mistralai` `src/models/components/`).
 *
 * No schema library on the hot path: a body is parsed once by `JSON.parse`,
 * then the guards below check only what the client relies on and everything
 * deeper is read defensively.
 */
import { type FunctionToolParam, isRecord, type ResponseFormatParam } from "@llm/core";

// ── request ─────────────────────────────────────────────────────────────────

export type MistralContentChunk =
  | { type: "text"; text: string }
  /** Mistral takes the image as a plain URL string (`https://…` or a `data:` URL). */
  | { type: "image_url"; image_url: string };

export interface MistralToolCallParam {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type MistralMessageParam =
  | { role: "system"; content: string }
  | { role: "user"; content: string | MistralContentChunk[] }
  | { role: "assistant"; content: string; tool_calls?: MistralToolCallParam[] }
  | { role: "tool"; name: string; tool_call_id: string; content: string };

/** Mistral takes the Chat Completions tool shape as it is. */
export type MistralToolParam = FunctionToolParam;

/** `any` forces a tool call (Mistral's word for OpenAI's `required`, which it also takes). */
export type MistralToolChoiceParam =
  | "auto"
  | "none"
  | "any"
  | "required"
  | { type: "function"; function: { name: string } };

export type MistralResponseFormatParam = ResponseFormatParam;

/** The body we POST to `/v1/chat/completions`. Optional keys are absent, never `undefined`. */
export interface MistralChatRequestBody {
  model: string;
  messages: MistralMessageParam[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
  /** Mistral's name for the sampling seed (it rejects OpenAI's `seed`). */
  random_seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  tools?: MistralToolParam[];
  tool_choice?: MistralToolChoiceParam;
  response_format?: MistralResponseFormatParam;
  /** Prepends Mistral's safety system prompt. */
  safe_prompt?: boolean;
  stream?: boolean;
  /** `providerOptions.mistral` keys (`prompt_mode`, `parallel_tool_calls`, …), merged last. */
  [providerOption: string]: unknown;
}

// ── response ────────────────────────────────────────────────────────────────

export interface MistralUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  /** Older spelling of the cached-token count. */
  num_cached_tokens?: number | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export interface MistralToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string | Record<string, unknown> };
  index?: number;
}

/** Response chunks: text, and (Magistral) `thinking` holding nested text chunks. */
export interface MistralResponseChunk {
  type?: string;
  /** Read through `readNullableString`: a text chunk with a non-string `text` is a `ParseError`. */
  text?: unknown;
  /** Nested text chunks (Magistral), or a string; `unknown` so that only `thinkingText` reads it. */
  thinking?: unknown;
}

export type MistralContent = string | MistralResponseChunk[] | null;

export interface MistralChatResponse {
  id?: string;
  object?: string;
  model?: string;
  created?: number;
  usage?: MistralUsage | null;
  choices: Array<{
    index?: number;
    message: {
      role?: string;
      content?: MistralContent;
      tool_calls?: MistralToolCall[] | null;
    };
    finish_reason?: string | null;
  }>;
}

// ── stream chunk ────────────────────────────────────────────────────────────

export interface MistralChatChunk {
  id?: string;
  model?: string;
  choices?: Array<{
    index?: number;
    delta?: {
      role?: string | null;
      content?: MistralContent;
      tool_calls?: MistralToolCall[] | null;
    } | null;
    finish_reason?: string | null;
  }>;
  usage?: MistralUsage | null;
  /** An error object sent instead of a chunk (`"object": "error"`). */
  object?: string;
  message?: unknown;
  type?: string;
  code?: string | number | null;
}

// ── error ───────────────────────────────────────────────────────────────────

/**
 * Mistral's error bodies: `{"object":"error","message","type","param","code"}` from the
 * model servers (`message` is `{ detail: [...] }` for a 422), `{"message","request_id"}`
 * from the gateway (bad key, burst limit), `{"detail": …}` for unknown routes.
 */
export interface MistralErrorBody {
  object?: string;
  message?: unknown;
  type?: string | null;
  param?: string | null;
  code?: string | number | null;
  detail?: unknown;
  request_id?: string;
}

// ── guards ──────────────────────────────────────────────────────────────────

/** A chat completion: an object with a `choices` array whose first entry has a `message`. */
export function isMistralChatResponse(value: unknown): value is MistralChatResponse {
  if (!isRecord(value) || !Array.isArray(value.choices)) return false;
  const first: unknown = value.choices[0];
  return first === undefined || (isRecord(first) && isRecord(first.message));
}

/** A stream chunk: any object whose `choices`, when present, is an array. */
export function isMistralChatChunk(value: unknown): value is MistralChatChunk {
  return isRecord(value) && (value.choices === undefined || Array.isArray(value.choices));
}
