import { httpErrorFromResponse, type LLMError } from "@llm/core";
import type { AnthropicErrorObject } from "./anthropic-api.js";

const PROVIDER = "anthropic";

/**
 * A failed HTTP answer → the error family. Anthropic's bodies
 * (`{"type":"error","error":{"type":"overloaded_error","message":…}}`) and
 * headers (`request-id`, `retry-after`) are what core's
 * `httpErrorFromResponse` already reads: 401/403 → `AuthenticationError`,
 * 429 → `RateLimitError` with the hint, "prompt is too long" →
 * `ContextLengthError`, 400/404 → `InvalidRequestError`, 529 overloaded and
 * other 5xx → retryable `ProviderError`.
 */
export function anthropicErrorFromResponse(
  status: number,
  headers: Record<string, string>,
  bodyText: string,
): LLMError {
  return httpErrorFromResponse({ provider: PROVIDER, status, headers, bodyText });
}

/** The HTTP status each documented error type stands for. */
const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * An `event: error` inside a 200 stream (typically `overloaded_error` when
 * the API is saturated mid-answer). Mapped as if it had been the HTTP status
 * its type stands for, so an overload mid-stream is as retryable as a 529.
 */
export function anthropicStreamError(
  error: AnthropicErrorObject,
  headers: Record<string, string>,
): LLMError {
  const status = (error.type !== undefined ? STATUS_BY_TYPE[error.type] : undefined) ?? 500;
  const info = {
    provider: PROVIDER,
    status,
    headers,
    bodyText: JSON.stringify({ type: "error", error }),
  };
  return httpErrorFromResponse(info);
}
