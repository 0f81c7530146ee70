/**
 * The Gemini `generateContent` wire format: the single source of truth for
 * what we send and what the API answers. Plain types plus cheap structural
 * guards — no schema library on the hot path: one `JSON.parse` per response
 * or chunk, then a handful of `typeof` checks on the fields we read.
 */
import { isRecord, type JsonObject, type JsonValue, ParseError } from "@llm/core";

// ── request ──────────────────────────────────────────────────────────────

export interface GeminiFunctionCall {
  /** Present on newer models; we fall back to a generated id. */
  id?: string;
  name?: string;
  /** A Struct; read through `readNullableObject` (anything else is a `ParseError`). */
  args?: unknown;
  /** Vertex-style streamed arguments (`streamFunctionCallArguments`). */
  partialArgs?: GeminiPartialArg[];
  /** `true` while more parts of the same call follow. */
  willContinue?: boolean;
}

export interface GeminiPartialArg {
  /** A string by the API; `unknown` so that only `readString` reads it. */
  jsonPath: unknown;
  /** A string by the API; `unknown` so that only `readNullableString` reads it. */
  stringValue?: unknown;
  numberValue?: number | null;
  boolValue?: boolean | null;
  nullValue?: unknown;
  willContinue?: boolean | null;
}

export interface GeminiPart {
  text?: string;
  /** `true` marks a thought summary (reasoning), not answer text. */
  thought?: boolean;
  /** Opaque; must be echoed back on the part that carried it in multi-turn. */
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: GeminiFunctionCall;
  functionResponse?: { id?: string; name: string; response: JsonObject };
}

export interface GeminiContent {
  role: "user" | "model";
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: JsonObject;
}

export type GeminiFunctionCallingMode = "AUTO" | "ANY" | "NONE";

export interface GeminiToolConfig {
  functionCallingConfig: { mode: GeminiFunctionCallingMode; allowedFunctionNames?: string[] };
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  responseMimeType?: string;
  responseSchema?: JsonObject;
  [key: string]: JsonValue | undefined;
}

/** The body we POST. Optional keys are absent, never `undefined`. */
export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: { parts: { text: string }[] };
  tools?: { functionDeclarations: GeminiFunctionDeclaration[] }[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
  /** `providerOptions.gemini` extras: `safetySettings`, `cachedContent`, `labels`, … */
  [key: string]: unknown;
}

// ── response ─────────────────────────────────────────────────────────────

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  totalTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
}

export interface GeminiCandidate {
  content?: { role?: string; parts?: GeminiPart[] };
  finishReason?: string;
  finishMessage?: string;
  index?: number;
  safetyRatings?: JsonValue[];
}

/** A whole `generateContent` response, and also one `streamGenerateContent` SSE chunk. */
export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
}

/** `{ "error": { code, message, status, details } }` — Google's RPC status body. */
export interface GeminiErrorBody {
  error: {
    code?: number;
    message?: string;
    status?: string;
    details?: { "@type"?: string; retryDelay?: string; [key: string]: unknown }[];
  };
}

// ── guards ───────────────────────────────────────────────────────────────

/**
 * Checks the fields we read and nothing else: a response is an object whose
 * `candidates`, when present, is an array of objects. Everything deeper is
 * read defensively where it is used.
 */
export function asGeminiResponse(value: unknown, where: string): GeminiResponse {
  if (!isRecord(value)) {
    throw new ParseError("Gemini response is not a JSON object", { where, provider: "gemini" });
  }
  const candidates = value.candidates;
  if (candidates !== undefined && !(Array.isArray(candidates) && candidates.every(isRecord))) {
    throw new ParseError("Gemini response has a malformed `candidates` field", {
      where,
      provider: "gemini",
    });
  }
  return value as GeminiResponse;
}

export function isGeminiErrorBody(value: unknown): value is GeminiErrorBody {
  return isRecord(value) && isRecord(value.error);
}
