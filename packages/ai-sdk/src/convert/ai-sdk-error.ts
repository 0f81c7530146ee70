import { APICallError } from "@ai-sdk/provider";
import { AbortError, httpErrorFromResponse, LLMError, NetworkError, toLLMError } from "@llm/core";

/** The AI SDK error each mapped `LLMError` was made from, to give back to the AI SDK caller. */
const originals = new WeakMap<LLMError, unknown>();

/**
 * An error thrown by (or streamed from) an AI SDK model as an `LLMError`, so
 * that llm-kit's retry, fallback and circuit breaker classify it as they
 * classify their own: an `APICallError` with a status goes through the same
 * status table as every llm-kit provider (429 → `RateLimitError` with its
 * `retry-after`, 5xx → retryable `ProviderError`, 401 → `AuthenticationError`
 * …); one without a status is a network failure when the AI SDK calls it
 * retryable; an abort is an `AbortError`.
 */
export function toLlmKitError(error: unknown, provider: string): LLMError {
  if (error instanceof LLMError) return error;
  let mapped: LLMError;
  if (APICallError.isInstance(error)) {
    mapped =
      error.statusCode === undefined
        ? error.isRetryable
          ? new NetworkError(error.message, { provider, cause: error })
          : toLLMError(error, provider)
        : httpErrorFromResponse({
            provider,
            status: error.statusCode,
            headers: lowerCased(error.responseHeaders ?? {}),
            bodyText: error.responseBody ?? "",
          });
  } else if (error instanceof Error && error.name === "AbortError") {
    mapped = new AbortError(error.message, { provider, cause: error });
  } else {
    mapped = toLLMError(error, provider);
  }
  originals.set(mapped, error);
  return mapped;
}

/**
 * What to throw to an AI SDK caller: the AI SDK's own error when the failure
 * came from the wrapped model (its `generateText` / `streamText` know how to
 * report it), else the `LLMError` (a timeout, an open circuit, a full queue).
 */
export function toAiSdkError(error: unknown): unknown {
  return error instanceof LLMError && originals.has(error) ? originals.get(error) : error;
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
