/**
 * Ollama's `/api/chat` wire format: the single source of truth for what we
 * send and what the server answers. Plain types plus cheap structural guards
 * — no schema library on the hot path: one `JSON.parse` per response or NDJSON
 * line, then a few `typeof` checks on the fields we read.
 */
import { isRecord, type JsonObject, type JsonValue, ParseError } from "@llm/core";

// ── request ──────────────────────────────────────────────────────────────

export interface OllamaToolCall {
  id?: string;
  function: {
    index?: number;
    name: string;
    /** An object, not a JSON string as in OpenAI's format. */
    arguments: JsonObject;
  };
}

export interface OllamaMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  /** Base64 images, without a `data:` prefix. */
  images?: string[];
  tool_calls?: OllamaToolCall[];
  /** Reasoning of a thinking model (`think: true`). */
  thinking?: string;
  /** On a `tool` message: which tool produced the result. */
  tool_name?: string;
}

export interface OllamaTool {
  type: "function";
  function: { name: string; description?: string; parameters: JsonObject };
}

export interface OllamaOptions {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  num_predict?: number;
  stop?: string[];
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  [key: string]: JsonValue | undefined;
}

/** The body we POST to `/api/chat`. Optional keys are absent, never `undefined`. */
export interface OllamaChatRequestBody {
  model: string;
  messages: OllamaMessage[];
  /** Ollama streams by default: `generate` must say `false`. */
  stream: boolean;
  tools?: OllamaTool[];
  /** `"json"`, or a JSON Schema the output must follow. */
  format?: "json" | JsonObject;
  options?: OllamaOptions;
  /** `providerOptions.ollama` extras: `think`, `keep_alive`, … */
  [key: string]: unknown;
}

// ── response ─────────────────────────────────────────────────────────────

/** A whole `stream: false` answer, and also one NDJSON line of a stream. */
export interface OllamaChatResponse {
  model?: string;
  created_at?: string;
  message?: {
    role?: string;
    content?: string;
    thinking?: string;
    tool_calls?: OllamaToolCall[];
  };
  done?: boolean;
  /** `stop`, `length`, `load`, `unload`. */
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  total_duration?: number;
}

/** `{ "error": "model 'x' not found" }` — as a whole body, or as a line mid-stream. */
export interface OllamaErrorBody {
  error: string;
}

export function isOllamaErrorBody(value: unknown): value is OllamaErrorBody {
  return isRecord(value) && typeof value.error === "string";
}

/**
 * Checks the fields we read: an object whose `message`, when present, is an
 * object with array `tool_calls`, if any. Deeper fields are read defensively.
 */
export function asOllamaResponse(value: unknown, where: string): OllamaChatResponse {
  if (!isRecord(value)) {
    throw new ParseError("Ollama response is not a JSON object", { where, provider: "ollama" });
  }
  const message = value.message;
  if (
    message !== undefined &&
    !(isRecord(message) && (message.tool_calls === undefined || Array.isArray(message.tool_calls)))
  ) {
    throw new ParseError("Ollama response has a malformed `message` field", {
      where,
      provider: "ollama",
    });
  }
  return value as OllamaChatResponse;
}
