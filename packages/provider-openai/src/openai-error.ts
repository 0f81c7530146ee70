import {
  ContentFilterError,
  type HttpErrorInfo,
  httpErrorFromResponse,
  isRecord,
  type LLMError,
  parseRetryAfter,
  RateLimitError,
  redactSecrets,
} from "@llm/core";
import type { OpenAIErrorObject } from "./openai-api.js";

const PROVIDER = "openai";

/**
 * A failed HTTP answer → the error family. Core's `httpErrorFromResponse`
 * does the status table (401/403 auth, 429 rate limit, 400/404/422 invalid,
 * context-length wording, 5xx retryable); this adds what only OpenAI's body
 * says:
 * - `code: "insufficient_quota"` is a 429 that waiting will not fix → a
 *   `RateLimitError` with `retryable: false`;
 * - `code: "context_length_exceeded"` → `ContextLengthError` (via the code as type);
 * - `code: "content_filter"` / `"content_policy_violation"` → `ContentFilterError`.
 */
export function openAIErrorFromResponse(
  status: number,
  headers: Record<string, string>,
  bodyText: string,
  provider: string = PROVIDER,
): LLMError {
  const error = parseErrorObject(bodyText);
  return mapOpenAIError({ provider, status, headers, bodyText }, error);
}

/**
 * An error object that arrived inside a 200 stream (`data: {"error": {...}}`).
 * There is no status, so one is inferred from the error's type / code.
 */
export function openAIStreamError(
  error: OpenAIErrorObject,
  headers: Record<string, string>,
  provider: string = PROVIDER,
): LLMError {
  const kind = `${error.type ?? ""} ${error.code ?? ""}`;
  const status = kind.includes("rate_limit")
    ? 429
    : kind.includes("invalid_request") || kind.includes("context_length")
      ? 400
      : 500;
  return mapOpenAIError({ provider, status, headers, bodyText: JSON.stringify({ error }) }, error);
}

function mapOpenAIError(info: HttpErrorInfo, error: OpenAIErrorObject | undefined): LLMError {
  const code = typeof error?.code === "string" ? error.code : undefined;
  const type = code ?? (typeof error?.type === "string" ? error.type : undefined);
  const full: HttpErrorInfo = { ...info };
  // The body is outside input: a `message` of another type (null, an array) is no message.
  if (typeof error?.message === "string") full.message = redactSecrets(error.message);
  if (type !== undefined) full.type = type;

  if (code === "insufficient_quota") {
    const requestId = info.headers["x-request-id"];
    const retryAfterMs = parseRetryAfter(info.headers);
    return new RateLimitError(
      `${info.provider} returned HTTP ${info.status} insufficient_quota: ${full.message ?? "quota exceeded"}${requestId ? ` (request id ${requestId})` : ""}`,
      {
        provider: info.provider,
        status: info.status,
        retryable: false,
        ...(requestId === undefined ? {} : { requestId }),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
    );
  }
  if (code === "content_filter" || code === "content_policy_violation") {
    return new ContentFilterError(
      `${info.provider} blocked the request (${code}): ${full.message ?? ""}`.trimEnd(),
      { provider: info.provider },
    );
  }
  return httpErrorFromResponse(full);
}

function parseErrorObject(bodyText: string): OpenAIErrorObject | undefined {
  if (bodyText.length === 0 || bodyText.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    const body: unknown = JSON.parse(bodyText);
    if (!isRecord(body)) return undefined;
    if (isRecord(body.error)) return body.error as OpenAIErrorObject;
    // Some compatible servers answer `{ "message": "...", "type": "..." }` or `{ "error": "..." }`.
    if (typeof body.error === "string") return { message: body.error };
    if (typeof body.message === "string") return body as OpenAIErrorObject;
    return undefined;
  } catch {
    return undefined;
  }
}
