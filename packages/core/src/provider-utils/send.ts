import { ParseError } from "../errors/errors.js";
import type { LLMError } from "../errors/llm-error.js";
import type { HttpMethod, Transport, TransportRequest, TransportResponse } from "../transport.js";
import { type HttpErrorInfo, httpErrorFromResponse } from "./http-error.js";
import { safeParseJSON } from "./safe-parse-json.js";

/** Bytes of an error body read before giving up on the rest: enough for any real error JSON. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

export interface SendOptions {
  /** Provider type, for error messages. */
  provider: string;
  url: string;
  headers?: Record<string, string>;
  /** Serialised with `JSON.stringify` unless already a string. */
  body?: unknown;
  /** Defaults to `POST` with a body, `GET` without. */
  method?: HttpMethod;
  signal?: AbortSignal;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Maps a non-2xx answer to an error; defaults to `httpErrorFromResponse`. */
  mapError?: (info: HttpErrorInfo) => LLMError;
}

export interface JSONResult {
  value: unknown;
  status: number;
  headers: Record<string, string>;
}

export interface StreamResult {
  body: AsyncIterable<Uint8Array>;
  status: number;
  headers: Record<string, string>;
}

/** Sends a request and parses a JSON answer. Non-2xx → `mapError`; bad JSON → `ParseError`. */
export async function sendJSON(transport: Transport, options: SendOptions): Promise<JSONResult> {
  const response = await send(transport, options);
  const text = await response.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notJSON(text, options);
  }
  return { value, status: response.status, headers: response.headers };
}

/**
 * The `ParseError` for a body that is not JSON. Built only on that path: the URL parse and
 * the redacted excerpt (`safeParseJSON` parses once more to describe the failure) cost the
 * successful calls nothing.
 */
function notJSON(text: string, options: SendOptions): ParseError {
  const parsed = safeParseJSON(text, `response body of ${options.provider} ${pathOf(options.url)}`);
  const cause = parsed.ok ? undefined : parsed.error;
  return new ParseError(`${options.provider} returned a body that is not JSON`, {
    where: cause?.where ?? `response body of ${options.provider}`,
    provider: options.provider,
    cause,
  });
}

/** Sends a request and hands back the body as bytes, for `parseSSE` / `parseNDJSON`. */
export async function sendStream(
  transport: Transport,
  options: SendOptions,
): Promise<StreamResult> {
  const response = await send(transport, options);
  return { body: response.body, status: response.status, headers: response.headers };
}

async function send(transport: Transport, options: SendOptions): Promise<TransportResponse> {
  const headers: Record<string, string> = {};
  const given = options.headers;
  if (given !== undefined) {
    // Own keys only, as Object.entries gave, but without a [name, value] array per header per call.
    const names = Object.keys(given);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      headers[name.toLowerCase()] = given[name] as string;
    }
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  // Optional fields assigned, not spread from conditional literals: no throwaway objects per call.
  const request: TransportRequest = {
    url: options.url,
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
  };
  if (body !== undefined) request.body = body;
  if (options.signal !== undefined) request.signal = options.signal;
  if (options.headersTimeoutMs !== undefined) request.headersTimeoutMs = options.headersTimeoutMs;
  if (options.bodyTimeoutMs !== undefined) request.bodyTimeoutMs = options.bodyTimeoutMs;
  const response = await transport.request(request);
  if (response.status >= 200 && response.status < 300) return response;
  const bodyText = await readBounded(response, MAX_ERROR_BODY_BYTES);
  const mapError = options.mapError ?? httpErrorFromResponse;
  throw mapError({
    provider: options.provider,
    status: response.status,
    headers: response.headers,
    bodyText,
  });
}

/**
 * Reads at most `limit` bytes of a body and cancels the rest, so a huge (or
 * never-ending) error body cannot hold the call. A body that breaks midway
 * yields what arrived: the status is the news, the body only detail.
 */
export async function readBounded(response: TransportResponse, limit: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  const iterator = response.body[Symbol.asyncIterator]();
  try {
    while (bytes < limit) {
      const { value, done } = await iterator.next();
      if (done) return text + decoder.decode();
      const room = limit - bytes;
      const chunk = value.byteLength > room ? value.subarray(0, room) : value;
      bytes += chunk.byteLength;
      text += decoder.decode(chunk, { stream: true });
    }
    await iterator.return?.();
    return text + decoder.decode();
  } catch {
    return text + decoder.decode();
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
