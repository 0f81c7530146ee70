import { ParseError } from "../errors/errors.js";
import type { LLMError } from "../errors/llm-error.js";
import type { HttpMethod, Transport, TransportResponse } from "../transport.js";
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
  const parsed = safeParseJSON(text, `response body of ${options.provider} ${pathOf(options.url)}`);
  if (!parsed.ok) {
    throw new ParseError(`${options.provider} returned a body that is not JSON`, {
      where: parsed.error.where,
      provider: options.provider,
      cause: parsed.error,
    });
  }
  return { value: parsed.value, status: response.status, headers: response.headers };
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
  for (const [name, value] of Object.entries(options.headers ?? {}))
    headers[name.toLowerCase()] = value;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await transport.request({
    url: options.url,
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    ...(body === undefined ? {} : { body }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.headersTimeoutMs === undefined
      ? {}
      : { headersTimeoutMs: options.headersTimeoutMs }),
    ...(options.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: options.bodyTimeoutMs }),
  });
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
