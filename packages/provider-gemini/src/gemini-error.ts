import {
  AuthenticationError,
  ContextLengthError,
  type HttpErrorInfo,
  httpErrorFromResponse,
  type LLMError,
} from "@llm/core";
import { type GeminiErrorBody, isGeminiErrorBody } from "./gemini-api.js";

const RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";
const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

/**
 * A failed Gemini answer → the `@llm/core` error family. Google's RPC status
 * body carries what headers carry elsewhere: the retry delay sits in a
 * `RetryInfo` detail (`"retryDelay": "34.4s"`), and a wrong key is a 400
 * `INVALID_ARGUMENT` with reason `API_KEY_INVALID`, not a 401. Everything
 * else follows core's status table (403 → authentication, 429 → rate limit,
 * 400/404 → invalid request, 5xx → retryable provider error).
 */
export function mapGeminiError(info: HttpErrorInfo): LLMError {
  const body = parseErrorBody(info.bodyText);
  if (body && isInvalidKey(body)) {
    return new AuthenticationError(
      `gemini rejected the API key (HTTP ${info.status} API_KEY_INVALID): check GEMINI_API_KEY / GOOGLE_API_KEY`,
      { provider: "gemini", status: info.status },
    );
  }
  const message = body?.error.message ?? "";
  // "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."
  if (info.status === 400 && /input token count.*exceeds the maximum/i.test(message)) {
    return new ContextLengthError(`gemini returned HTTP 400: ${message}`, { provider: "gemini" });
  }
  const retryDelayMs = body ? retryDelayOf(body) : undefined;
  // The body's delay is more precise than a `retry-after` header: it wins.
  const headers =
    retryDelayMs === undefined
      ? info.headers
      : { ...info.headers, "retry-after-ms": String(retryDelayMs) };
  return httpErrorFromResponse({ ...info, headers });
}

/** Maps an `{ "error": … }` object that arrived inside a stream instead of a chunk. */
export function mapGeminiStreamError(
  body: GeminiErrorBody,
  headers: Record<string, string>,
): LLMError {
  const status = typeof body.error.code === "number" ? body.error.code : 500;
  return mapGeminiError({ provider: "gemini", status, headers, bodyText: JSON.stringify(body) });
}

function parseErrorBody(text: string): GeminiErrorBody | undefined {
  try {
    let parsed: unknown = JSON.parse(text);
    // Streaming endpoints wrap the error in an array.
    if (Array.isArray(parsed)) parsed = parsed[0];
    return isGeminiErrorBody(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isInvalidKey(body: GeminiErrorBody): boolean {
  const details = body.error.details;
  if (Array.isArray(details)) {
    for (const detail of details) {
      if (detail?.["@type"] === ERROR_INFO && detail.reason === "API_KEY_INVALID") return true;
    }
  }
  return /API key not valid/i.test(body.error.message ?? "");
}

/** `"34.4s"` → 34400 ms; `undefined` when no `RetryInfo` detail is present or it does not parse. */
export function retryDelayOf(body: GeminiErrorBody): number | undefined {
  const details = body.error.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    if (detail?.["@type"] !== RETRY_INFO || typeof detail.retryDelay !== "string") continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay.trim());
    if (match) return Math.ceil(Number(match[1]) * 1000);
  }
  return undefined;
}
