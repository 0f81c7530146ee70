import {
  type HttpErrorInfo,
  httpErrorFromResponse,
  isRecord,
  type LLMError,
  redactSecrets,
} from "@llm/core";
import type { MistralErrorBody } from "./mistral-api.js";

const PROVIDER = "mistral";
/** How many validation problems of a 422 are named in the message. */
const MAX_DETAILS = 3;

/**
 * A failed HTTP answer → the error family. Core's `httpErrorFromResponse` does
 * the status table (401/403 auth, 429 rate limit with `retry-after`, 400/404/422
 * invalid, context-length wording such as "maximum context length", 5xx
 * retryable); this reads Mistral's own bodies into its message and type:
 * - `{"object":"error","message":"…","type":"rate_limited","code":"1300"}`;
 * - a 422 whose `message` (or top-level `detail`) is a list of validation
 *   problems, named as `body.model: Field required`;
 * - the gateway's `{"message":"Unauthorized","request_id":"…"}`.
 */
export function mistralErrorFromResponse(
  status: number,
  headers: Record<string, string>,
  bodyText: string,
  provider: string = PROVIDER,
): LLMError {
  return mapMistralError({ provider, status, headers, bodyText }, parseErrorBody(bodyText));
}

/**
 * An error object that arrived as a stream event of a 200 answer. There is no
 * status, so one is inferred from its `type`.
 */
export function mistralStreamError(
  error: MistralErrorBody,
  headers: Record<string, string>,
  provider: string = PROVIDER,
): LLMError {
  const type = typeof error.type === "string" ? error.type : "";
  const status = type.includes("rate_limit") ? 429 : type.startsWith("invalid_request") ? 400 : 500;
  return mapMistralError({ provider, status, headers, bodyText: JSON.stringify(error) }, error);
}

function mapMistralError(info: HttpErrorInfo, error: MistralErrorBody | undefined): LLMError {
  if (error === undefined) return httpErrorFromResponse(info);
  const full: HttpErrorInfo = { ...info };
  const message = messageOf(error);
  if (message !== undefined) full.message = redactSecrets(message);
  const type = typeof error.type === "string" ? error.type : undefined;
  if (type !== undefined) full.type = type;
  const requestId = error.request_id;
  if (typeof requestId === "string" && info.headers["x-request-id"] === undefined) {
    full.headers = { ...info.headers, "x-request-id": requestId };
  }
  return httpErrorFromResponse(full);
}

/** The body's message: a string, or the first validation problems of a 422. */
function messageOf(error: MistralErrorBody): string | undefined {
  const message = error.message;
  if (typeof message === "string") return message;
  const detail = isRecord(message) ? message.detail : error.detail;
  if (typeof detail === "string") return detail;
  if (!Array.isArray(detail)) return undefined;
  const problems: string[] = [];
  for (const item of detail.slice(0, MAX_DETAILS)) {
    if (!isRecord(item)) continue;
    const where = Array.isArray(item.loc) ? item.loc.join(".") : "";
    const msg = typeof item.msg === "string" ? item.msg : "invalid";
    problems.push(where ? `${where}: ${msg}` : msg);
  }
  if (detail.length > MAX_DETAILS) problems.push(`and ${detail.length - MAX_DETAILS} more`);
  return problems.length > 0 ? problems.join("; ") : undefined;
}

function parseErrorBody(bodyText: string): MistralErrorBody | undefined {
  if (bodyText.length === 0 || bodyText.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    const body: unknown = JSON.parse(bodyText);
    return isRecord(body) ? (body as MistralErrorBody) : undefined;
  } catch {
    return undefined;
  }
}
