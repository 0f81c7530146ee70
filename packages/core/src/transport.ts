import type { RequestAborter } from "./transport/request-aborter.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

export interface TransportRequest {
  /** Absolute URL. */
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
  /**
   * The caller's own abort, cheaper than a signal made per request; honoured
   * only when the transport's `abortHandles` is `true` (others ignore it). It
   * ends the request as an aborted `signal` would, queued, before the headers
   * or mid-body, with the aborter's `reason` as the error.
   */
  aborter?: RequestAborter;
  /** Max wait for the response headers (the first token of a non-streamed call arrives with them). */
  headersTimeoutMs?: number;
  /** Max gap between two body chunks. */
  bodyTimeoutMs?: number;
}

/**
 * Takes a response body chunk by chunk, called synchronously from the
 * transport's own read callback (`TransportResponse.pipe`): a stream parser
 * fed this way pays no promise and no microtask per chunk.
 */
export interface BodySink {
  /** A chunk arrived. Returning `false` asks the transport to stop reading until it is resumed. */
  write(chunk: Uint8Array): boolean;
  /** The body ended normally. */
  end(): void;
  /** The body failed: the transport's typed error (`AbortError` when the request's signal aborted, …). */
  fail(error: unknown): void;
}

export interface TransportResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body as it arrives. Consume it, `text()`/`json()` it, or `cancel()` it — once. */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  json(): Promise<unknown>;
  /** Discards the rest of the body so the connection can be reused (or closed). */
  cancel(): Promise<void>;
  /**
   * Optional push form of `body`, for stream parsers: hands every chunk to
   * `sink` as it is read — chunks that already arrived at once, in order —
   * then `end()` or `fail()`. Returns the function that resumes reading after
   * `write` returned `false`. Use `pipe` or `body`, never both; after
   * `cancel()` the sink is called no more.
   */
  pipe?(sink: BodySink): () => void;
}

/**
 * How providers reach the network. `@llm/pool` implements it on undici pools;
 * `createFetchTransport()` on global `fetch` is the dependency-free default.
 * Transports throw `NetworkError`, `TimeoutError` or `AbortError` — never a
 * raw socket error — and end the body (its iterator throws `AbortError`) as
 * soon as the request's `signal` aborts: providers rely on that to stop a
 * stream the caller abandoned.
 */
export interface Transport {
  request(request: TransportRequest): Promise<TransportResponse>;
  /** `true`: this transport honours `TransportRequest.aborter`. */
  readonly abortHandles?: boolean;
  close?(): Promise<void>;
}
