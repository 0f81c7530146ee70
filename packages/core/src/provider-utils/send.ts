import { LimitExceededError, ParseError } from "../errors/errors.js";
import type { LLMError } from "../errors/llm-error.js";
import { DEFAULT_RESPONSE_LIMITS, type ResponseLimits } from "../streaming/limits.js";
import type { RequestAborter } from "../transport/request-aborter.js";
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
  /** The call's own abort, for a transport that honours abort handles (see `TransportRequest.aborter`). */
  aborter?: RequestAborter;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Size and time bounds on the answer; each unset one takes its default (`DEFAULT_RESPONSE_LIMITS`). */
  limits?: ResponseLimits;
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
  /** The response itself, for its optional push form (`pipe`) and `cancel()`. */
  response: TransportResponse;
}

/**
 * Sends a request and parses a JSON answer. Non-2xx → `mapError`; bad JSON →
 * `ParseError`; a body over `limits.maxBodyBytes` → `LimitExceededError`.
 */
export async function sendJSON(transport: Transport, options: SendOptions): Promise<JSONResult> {
  // Every call goes through here: the request is built synchronously and the non-2xx path is
  // its own function, so a success pays for one async frame around the exchange, not two.
  const response = await transport.request(toTransportRequest(options));
  if (response.status < 200 || response.status >= 300) throw await httpFailure(response, options);
  const maxBytes = options.limits?.maxBodyBytes ?? DEFAULT_RESPONSE_LIMITS.maxBodyBytes;
  // Only an error names where (`bodyWhere`): no URL parsed, no string or closure built per successful call.
  const text = await readWithin(response, maxBytes, bodyWhere, options);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Parsed again on this path only, for safeParseJSON's error with its redacted excerpt.
    const where = bodyWhere(options);
    const failed = safeParseJSON(text, where);
    const cause = failed.ok ? undefined : failed.error;
    throw new ParseError(`${options.provider} returned a body that is not JSON`, {
      where: cause?.where ?? where,
      provider: options.provider,
      cause,
    });
  }
  return { value, status: response.status, headers: response.headers };
}

/** Sends a request and hands back the body as bytes, for `parseSSE` / `parseNDJSON`. */
export async function sendStream(
  transport: Transport,
  options: SendOptions,
): Promise<StreamResult> {
  const response = await transport.request(toTransportRequest(options));
  if (response.status < 200 || response.status >= 300) throw await httpFailure(response, options);
  return { body: response.body, status: response.status, headers: response.headers, response };
}

/**
 * Sends a request and hands back the 2xx response itself (a non-2xx one is
 * read, bounded, and thrown through `mapError`): for a stream driver that reads
 * the body its own way, with no result object around it.
 */
export async function sendRequest(
  transport: Transport,
  options: SendOptions,
): Promise<TransportResponse> {
  const response = await transport.request(toTransportRequest(options));
  if (response.status < 200 || response.status >= 300) throw await httpFailure(response, options);
  return response;
}

const bodyWhere = (options: SendOptions): string =>
  `response body of ${options.provider} ${pathOf(options.url)}`;

/** The transport request for `options`: lower-cased header names, the body serialised. */
function toTransportRequest(options: SendOptions): TransportRequest {
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
  if (options.aborter !== undefined) request.aborter = options.aborter;
  if (options.headersTimeoutMs !== undefined) request.headersTimeoutMs = options.headersTimeoutMs;
  if (options.bodyTimeoutMs !== undefined) request.bodyTimeoutMs = options.bodyTimeoutMs;
  return request;
}

/** A non-2xx answer as the provider's error, its body read within `MAX_ERROR_BODY_BYTES`. */
async function httpFailure(response: TransportResponse, options: SendOptions): Promise<LLMError> {
  const bodyText = await readBounded(response, MAX_ERROR_BODY_BYTES);
  const mapError = options.mapError ?? httpErrorFromResponse;
  return mapError({
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

/**
 * Reads a whole body, failing with `LimitExceededError` as soon as it passes
 * `maxBytes` (at once when `content-length` already says so): what was read
 * is dropped and the rest is never read, so memory stays within the bound.
 * `where` names the body in that error: a string, or a function called only then.
 */
export function readBodyWithin(
  response: TransportResponse,
  maxBytes: number,
  where: string | (() => string),
): Promise<string> {
  return readWithin(response, maxBytes, where, undefined);
}

/** `readBodyWithin`, with `where` given a context: `sendJSON` passes one module-level function and its options. */
async function readWithin<C>(
  response: TransportResponse,
  maxBytes: number,
  where: string | ((context: C) => string),
  context: C,
): Promise<string> {
  const declared = Number(response.headers["content-length"]);
  if (declared > maxBytes) {
    await response.cancel().catch(() => undefined);
    throw new LimitExceededError("bodyBytes", maxBytes, declared, whereOf(where, context));
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const iterator = response.body[Symbol.asyncIterator]();
  while (true) {
    const { done, value } = await iterator.next();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      chunks.length = 0;
      await iterator.return?.().catch(() => undefined);
      throw new LimitExceededError("bodyBytes", maxBytes, bytes, whereOf(where, context));
    }
    chunks.push(value);
  }
  return decodeUtf8(chunks, bytes);
}

const whereOf = <C>(where: string | ((context: C) => string), context: C): string =>
  typeof where === "string" ? where : where(context);

/** Shared: a whole-input `decode()` (no `stream` option) keeps no state between calls. */
const UTF8 = new TextDecoder();

function decodeUtf8(chunks: Uint8Array[], bytes: number): string {
  const decoder = UTF8;
  if (chunks.length === 0) return "";
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(all);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
