import {
  AbortError,
  type AbortTarget,
  type BodySink,
  LimitExceededError,
  type LLMError,
  onAbort,
  ParseError,
  type TransportRequest,
  type TransportResponse,
} from "@llm/core";
import { type Dispatcher, util } from "undici";
import type { ErrorContext } from "./map-undici-error.js";

/** What a response needs from the origin that serves it. */
export interface ResponseOwner extends ErrorContext {
  readonly dispatcher: Dispatcher;
  /** Bound on what `text()` / `json()` read. */
  readonly maxBodyBytes: number;
  /** Called exactly once per dispatched request, when undici is done with it. */
  readonly release: () => void;
  requestsServed: number;
  mapError(error: unknown, request: TransportRequest): LLMError;
}

/** Bytes buffered ahead of the consumer before the socket is paused (undici's Readable uses 64 KiB too). */
const HIGH_WATER_MARK = 64 * 1024;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
/** Until the final headers arrive (nobody sees a response before that): no object per request. */
const NO_HEADERS: Record<string, string> = Object.freeze(Object.create(null));

/** Raw header pairs → lower-cased names, repeated headers joined with ", " (the Transport contract). */
function parseRawHeaders(raw: Buffer[]): Record<string, string> {
  // Null prototype: a header called "constructor" must not collide with Object.prototype.
  const headers: Record<string, string> = Object.create(null);
  for (let i = 0; i < raw.length; i += 2) {
    const name = util.headerNameToString(raw[i] as Buffer);
    const value = (raw[i + 1] as Buffer).toString("latin1");
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous}, ${value}`;
  }
  return headers;
}

function decodeUtf8(chunks: Buffer[], bytes: number): string {
  if (chunks.length === 0) return "";
  if (chunks.length === 1) return (chunks[0] as Buffer).toString("utf8");
  return Buffer.concat(chunks, bytes).toString("utf8");
}

/**
 * One request/response exchange on an origin's undici Pool, driven through
 * `Pool.dispatch` with this object as the handler. It is also the
 * `TransportResponse` and the body's iterator: no Readable stream, no per-chunk
 * stream machinery, one object per request. Chunks queue here until read; past
 * 64 KiB the socket is paused (back-pressure) and resumed as the consumer catches up.
 *
 * The origin's queue slot is released when undici finishes the exchange
 * (complete, failed or cancelled), which is also when its socket is free again.
 */
export class PoolResponse
  implements TransportResponse, AsyncIterator<Uint8Array>, AsyncIterable<Uint8Array>, AbortTarget
{
  status = 0;
  /** The final response's raw header pairs, parsed on the first read of `headers` only. */
  #rawHeaders: Buffer[] | undefined;
  #headers: Record<string, string> | undefined;

  readonly #owner: ResponseOwner;
  readonly #request: TransportRequest;
  #resolve: ((response: PoolResponse) => void) | undefined;
  #reject: ((error: Error) => void) | undefined;
  #abort: ((reason?: Error) => void) | undefined;
  #resume: (() => void) | undefined;
  #offSignalAbort: (() => void) | undefined;

  #chunks: Buffer[] = [];
  #head = 0;
  #buffered = 0;
  #paused = false;
  #ended = false;
  #cancelled = false;
  #released = false;
  #error: LLMError | undefined;
  #wake: ((result: IteratorResult<Uint8Array>) => void) | undefined;
  #fail: ((error: Error) => void) | undefined;
  /** The executor that parks a `next()` until a chunk arrives; made once per stream, not per chunk. */
  #park:
    | ((
        resolve: (result: IteratorResult<Uint8Array>) => void,
        reject: (error: Error) => void,
      ) => void)
    | undefined;
  /** Set by `pipe()`: chunks go to it from `onData`, not to the iterator. */
  #sink: BodySink | undefined;

  constructor(owner: ResponseOwner, request: TransportRequest) {
    this.#owner = owner;
    this.#request = request;
  }

  /** Dispatches the request; resolves with this object once the final status and headers arrive. */
  send(path: string): Promise<PoolResponse> {
    const request = this.#request;
    const owner = this.#owner;
    return new Promise<PoolResponse>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      const signal = request.signal;
      if (signal) {
        if (signal.aborted) {
          this.onError(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
          return;
        }
        this.#offSignalAbort = onAbort(signal, () =>
          this.#abort?.(signal.reason instanceof Error ? signal.reason : new Error("aborted")),
        );
      }
      // The caller's own abort, without a signal: this response is its target until #finish.
      const aborter = request.aborter;
      if (aborter !== undefined) {
        if (aborter.aborted) {
          this.onError(aborter.reason as Error);
          return;
        }
        aborter.listen(this);
      }
      owner.dispatcher.dispatch(
        {
          origin: owner.origin,
          path,
          method: request.method,
          headers: request.headers,
          body: request.body,
          headersTimeout: request.headersTimeoutMs,
          bodyTimeout: request.bodyTimeoutMs,
        },
        this as unknown as Dispatcher.DispatchHandler,
      );
    });
  }

  // ── undici handler (legacy API: what Pool runs natively, so no adapter is wrapped around it) ──

  onConnect(abort: (reason?: Error) => void): void {
    this.#abort = abort;
    const signal = this.#request.signal;
    if (signal?.aborted)
      abort(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    else if (this.#request.aborter?.aborted) abort(this.#request.aborter.reason as Error);
  }

  /** `AbortTarget`: the request's aborter fired. Before `onConnect`, that one aborts it. */
  abortRequest(reason: Error): void {
    this.#abort?.(reason);
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (status < 200) return true; // 1xx: the final response follows
    this.status = status;
    // Not parsed here: a caller that only reads the body never pays for it. undici hands out
    // views of the socket's read buffers, which are never reused, so keeping them is safe.
    this.#rawHeaders = rawHeaders;
    this.#resume = resume;
    this.#owner.requestsServed++;
    const resolve = this.#resolve;
    this.#resolve = undefined;
    this.#reject = undefined;
    resolve?.(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    const sink = this.#sink;
    if (sink !== undefined) return this.#write(sink, chunk);
    const wake = this.#wake;
    if (wake !== undefined) {
      this.#wake = undefined;
      this.#fail = undefined;
      wake({ done: false, value: chunk });
      return true;
    }
    if (this.#cancelled) return true;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered >= HIGH_WATER_MARK) {
      this.#paused = true;
      return false;
    }
    return true;
  }

  onComplete(): void {
    this.#ended = true;
    this.#finish();
    if (this.#sink !== undefined) {
      // A paused sink gets the end after the chunks it still has to take (see #resumeSink).
      if (!this.#paused) this.#flush(this.#sink);
      return;
    }
    const wake = this.#wake;
    if (wake !== undefined) {
      this.#wake = undefined;
      this.#fail = undefined;
      wake(DONE);
    }
  }

  onError(error: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    const cancelled = this.#cancelled;
    const mapped = cancelled ? undefined : this.#owner.mapError(error, this.#request);
    this.#error = mapped;
    this.#finish();
    const reject = this.#reject;
    if (reject !== undefined) {
      this.#resolve = undefined;
      this.#reject = undefined;
      reject(mapped ?? new AbortError("Request was cancelled"));
      return;
    }
    if (this.#sink !== undefined) {
      // Chunks still held (a paused sink) are dropped: the body is broken, the error is the news.
      this.#chunks = [];
      this.#head = 0;
      this.#buffered = 0;
      if (mapped !== undefined) this.#sink.fail(mapped);
      return;
    }
    const fail = this.#fail;
    if (fail !== undefined && mapped !== undefined) {
      this.#wake = undefined;
      this.#fail = undefined;
      fail(mapped);
    }
  }

  #finish(): void {
    if (this.#released) return;
    this.#released = true;
    this.#offSignalAbort?.();
    this.#request.aborter?.listen(undefined);
    this.#owner.release();
  }

  // ── TransportResponse ──

  /** Lower-cased names, repeated headers joined with ", " (the Transport contract). */
  get headers(): Record<string, string> {
    if (this.#headers !== undefined) return this.#headers;
    const raw = this.#rawHeaders;
    if (raw === undefined) return NO_HEADERS;
    this.#rawHeaders = undefined;
    this.#headers = parseRawHeaders(raw);
    return this.#headers;
  }

  set headers(headers: Record<string, string>) {
    this.#rawHeaders = undefined;
    this.#headers = headers;
  }

  get body(): AsyncIterable<Uint8Array> {
    return this;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  /**
   * The push form of the body: each chunk goes to `sink` inside undici's `onData`,
   * so a stream parser pays no promise per chunk. `write()` returning `false`
   * pauses the socket until the returned function is called.
   */
  pipe(sink: BodySink): () => void {
    this.#sink = sink;
    this.#flush(sink);
    // Made here, not as a per-instance arrow field: a JSON response never pipes, so it pays for no closure.
    return () => this.#resumeSink();
  }

  /** A chunk for the sink; held (and the socket paused) while the sink is paused. */
  #write(sink: BodySink, chunk: Buffer): boolean {
    if (this.#cancelled) return true;
    if (this.#paused) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      return false;
    }
    if (sink.write(chunk)) return true;
    this.#paused = true;
    return false;
  }

  /** Hands the sink what is held, in order, then the end if it came; stops if the sink pauses. */
  #flush(sink: BodySink): void {
    while (this.#head < this.#chunks.length && !this.#cancelled) {
      const chunk = this.#chunks[this.#head] as Buffer;
      this.#chunks[this.#head++] = undefined as unknown as Buffer;
      this.#buffered -= chunk.length;
      if (!sink.write(chunk)) {
        this.#paused = true;
        return;
      }
    }
    this.#chunks.length = 0;
    this.#head = 0;
    if (this.#cancelled) return;
    if (this.#ended) {
      if (this.#error !== undefined) sink.fail(this.#error);
      else sink.end();
    }
  }

  #resumeSink(): void {
    const sink = this.#sink;
    if (sink === undefined || !this.#paused || this.#cancelled) return;
    this.#paused = false;
    this.#flush(sink);
    if (!this.#paused && !this.#ended) this.#resume?.();
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#head < this.#chunks.length)
      return Promise.resolve({ done: false, value: this.#shift() });
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended || this.#cancelled) return Promise.resolve(DONE);
    this.#park ??= (resolve, reject) => {
      this.#wake = resolve;
      this.#fail = reject;
    };
    return new Promise<IteratorResult<Uint8Array>>(this.#park);
  }

  /** `break` out of `for await`: the rest of the body is not wanted. */
  return(): Promise<IteratorResult<Uint8Array>> {
    return this.cancel().then(() => DONE);
  }

  #shift(): Buffer {
    const chunk = this.#chunks[this.#head] as Buffer;
    this.#chunks[this.#head++] = undefined as unknown as Buffer;
    if (this.#head === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#head = 0;
    }
    this.#buffered -= chunk.length;
    if (this.#paused && this.#buffered < HIGH_WATER_MARK) {
      this.#paused = false;
      this.#resume?.();
    }
    return chunk;
  }

  /** The whole body as text; past the pool's `maxBodyBytes` it stops reading and throws `LimitExceededError`. */
  text(): Promise<string> {
    const whole = this.#takeWhole();
    return whole === undefined ? this.#readText() : Promise.resolve(whole);
  }

  /**
   * Common case for JSON: the whole body arrived with the headers, within the bound. Takes
   * and decodes it in one go, with no async step; `undefined` otherwise. Its size is known
   * exactly, so content-length is not consulted (the headers stay unparsed).
   */
  #takeWhole(): string | undefined {
    if (!this.#ended || this.#error !== undefined || this.#buffered > this.#owner.maxBodyBytes)
      return undefined;
    const chunks = this.#head === 0 ? this.#chunks : this.#chunks.slice(this.#head);
    const bytes = this.#buffered;
    this.#chunks = [];
    this.#head = 0;
    this.#buffered = 0;
    return decodeUtf8(chunks, bytes);
  }

  async #readText(): Promise<string> {
    const max = this.#owner.maxBodyBytes;
    if (this.#ended && this.#error === undefined) {
      // All here but over the bound (#takeWhole took everything within it).
      const size = this.#buffered;
      await this.cancel();
      throw this.#tooLarge(size);
    }
    const declared = Number(this.headers["content-length"]);
    if (declared > max || this.#buffered > max) {
      await this.cancel();
      throw this.#tooLarge(Math.max(declared || 0, this.#buffered));
    }
    const parts: Buffer[] = [];
    let bytes = 0;
    for (;;) {
      const { done, value } = await this.next();
      if (done) break;
      bytes += value.length;
      if (bytes > max) {
        parts.length = 0;
        await this.cancel();
        throw this.#tooLarge(bytes);
      }
      parts.push(value as Buffer);
    }
    return decodeUtf8(parts, bytes);
  }

  #tooLarge(bytes: number): LimitExceededError {
    const q = this.#request.url.indexOf("?");
    const url = q === -1 ? this.#request.url : this.#request.url.slice(0, q);
    return new LimitExceededError(
      "bodyBytes",
      this.#owner.maxBodyBytes,
      bytes,
      `${this.#request.method} ${url} response body`,
    );
  }

  json(): Promise<unknown> {
    const whole = this.#takeWhole();
    if (whole === undefined) return this.#readText().then((text) => this.#parse(text));
    try {
      return Promise.resolve(this.#parse(whole));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      const q = this.#request.url.indexOf("?");
      throw new ParseError(`Response body is not JSON (${(error as Error).message})`, {
        where: `${this.#request.method} ${q === -1 ? this.#request.url : this.#request.url.slice(0, q)} response body`,
        cause: error,
      });
    }
  }

  /**
   * Drops the rest of the body. A response undici already received in full leaves
   * its socket in the pool; one still arriving closes its socket (HTTP/1.1 cannot
   * skip the rest of a response) — either way the slot is free now.
   */
  cancel(): Promise<void> {
    if (!this.#cancelled) {
      this.#cancelled = true;
      this.#chunks = [];
      this.#head = 0;
      this.#buffered = 0;
      if (!this.#ended) this.#abort?.(new Error("Response body cancelled by the caller"));
      const wake = this.#wake;
      if (wake !== undefined) {
        this.#wake = undefined;
        this.#fail = undefined;
        wake(DONE);
      }
    }
    return Promise.resolve();
  }
}
