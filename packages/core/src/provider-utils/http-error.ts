import {
  AuthenticationError,
  ContextLengthError,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
} from "../errors/errors.js";
import type { LLMError } from "../errors/llm-error.js";
import { redactSecrets } from "../redact.js";
import { isRecord } from "./is-record.js";
import { parseRetryAfter } from "./retry-after.js";

/** What a failed HTTP answer looked like; given to a provider's `mapError`. */
export interface HttpErrorInfo {
  provider: string;
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The body as text, bounded (see `sendJSON`). */
  bodyText: string;
  /** The provider's own message, when the caller already extracted it. */
  message?: string;
  /** The provider's error type / code (`"context_length_exceeded"`, `"overloaded_error"`). */
  type?: string;
}

const CONTEXT_LENGTH_WORDING = [
  "context length",
  "context_length",
  "maximum context",
  "context window",
  "too many tokens",
  "prompt is too long",
];

const MESSAGE_LENGTH = 300;

/**
 * The default mapping of an HTTP failure onto the error family:
 *
 * | status                         | error                 | retryable |
 * |--------------------------------|-----------------------|-----------|
 * | 400/413/422 + context wording  | `ContextLengthError`  | no        |
 * | 401, 403                       | `AuthenticationError` | no        |
 * | 429                            | `RateLimitError`      | yes       |
 * | 400, 404, 422                  | `InvalidRequestError` | no        |
 * | 408, 409, 5xx (incl. 529)      | `ProviderError`       | yes       |
 * | anything else                  | `ProviderError`       | no        |
 *
 * The provider's message is taken from the usual JSON shapes
 * (`{error:{message}}`, `{message}`, `{error:"…"}`), else a body excerpt;
 * everything passes through the redactor.
 */
export function httpErrorFromResponse(info: HttpErrorInfo): LLMError {
  const { provider, status, headers, bodyText } = info;
  const extracted = extractErrorDetails(bodyText);
  const detail = truncate(info.message ?? extracted.message ?? bodyText.trim(), MESSAGE_LENGTH);
  const type = info.type ?? extracted.type;
  const requestId = headers["x-request-id"] ?? headers["request-id"];
  const retryAfterMs = parseRetryAfter(headers);
  const suffix = requestId ? ` (request id ${requestId})` : "";
  const message = `${provider} returned HTTP ${status}${type ? ` ${type}` : ""}${detail ? `: ${detail}` : ""}${suffix}`;
  const common = { provider };

  if ((status === 400 || status === 413 || status === 422) && mentionsContextLength(detail, type)) {
    return new ContextLengthError(message, common);
  }
  if (status === 401 || status === 403)
    return new AuthenticationError(message, { ...common, status });
  if (status === 429) {
    return new RateLimitError(message, {
      ...common,
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  if (status === 400 || status === 404 || status === 422) {
    return new InvalidRequestError(message, { ...common, status });
  }
  return new ProviderError(message, {
    ...common,
    status,
    body: bodyText,
    ...(requestId === undefined ? {} : { requestId }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function mentionsContextLength(detail: string, type: string | undefined): boolean {
  const text = `${type ?? ""} ${detail}`.toLowerCase();
  return CONTEXT_LENGTH_WORDING.some((w) => text.includes(w));
}

/** Pulls `message` and `type`/`code` out of the error bodies providers send. */
export function extractErrorDetails(bodyText: string): { message?: string; type?: string } {
  const first = bodyText.trimStart().charCodeAt(0);
  if (first !== 123 /* { */ && first !== 91 /* [ */) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return {};
  }
  // Gemini wraps errors in an array when streaming.
  if (Array.isArray(parsed)) parsed = parsed[0];
  if (!isRecord(parsed)) return {};
  const error = parsed.error;
  const source = isRecord(error) ? error : parsed;
  const out: { message?: string; type?: string } = {};
  if (typeof source.message === "string") out.message = redactSecrets(source.message);
  else if (typeof error === "string") out.message = redactSecrets(error);
  const type = [source.type, source.code, source.status].find((t) => typeof t === "string");
  if (typeof type === "string") out.type = type;
  return out;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
