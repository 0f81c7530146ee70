import type { CallOptions } from "../client.js";
import { LimitExceededError } from "../errors/errors.js";
import type { JsonValue } from "../json.js";
import type { StreamEvent } from "../stream-event.js";
import { type ResolvedResponseLimits, resolveResponseLimits } from "../streaming/limits.js";
import { NDJSONParser } from "../streaming/ndjson-parser.js";
import { type SSEEvent, SSEParser } from "../streaming/sse-parser.js";
import { Utf8ChunkDecoder } from "../streaming/utf8-chunk-decoder.js";
import type { BodySink, Transport, TransportResponse } from "../transport.js";
import { withCallOptions } from "./call-json.js";
import { type CallSignal, openOwnSignal } from "./call-signal.js";
import { type SendOptions, sendRequest } from "./send.js";
import { StreamDeadline } from "./stream-deadline.js";

/**
 * How a streamed body is cut into frames: `"sse"` hands the handler each
 * event's `data` payload (LLM APIs repeat the event name inside it, and a
 * POST stream is never resumed, so `id` / `retry` carry nothing); `"ndjson"`
 * hands it each line's parsed JSON value (a malformed line throws `ParseError`).
 */
export type StreamFraming = "sse" | "ndjson" | BinaryFraming<unknown>;

/**
 * A framing for a body that is not text (AWS event streams, say): the
 * provider's own incremental decoder, fed the body's bytes as they arrive.
 * It must bound what it buffers by `limits.maxEventBytes` (throwing
 * `LimitExceededError`), as the SSE parser does for its events.
 */
export interface BinaryFraming<T> {
  /** One decoder per stream, made once the response headers are in. */
  open(limits: ResolvedResponseLimits): BinaryFrameDecoder<T>;
}

/** Cuts a byte stream into frames; keeps the bytes of an incomplete frame for the next `feed`. */
export interface BinaryFrameDecoder<T> {
  /** The frames completed by this chunk (often none, sometimes several). */
  feed(chunk: Uint8Array): T[];
  /** The body ended: the last frames, or a throw when it ended inside one. */
  end(): T[];
}

/** The frame type a framing produces. */
export type FrameOf<F extends StreamFraming> = F extends "sse"
  ? string
  : F extends BinaryFraming<infer T>
    ? T
    : JsonValue;

/**
 * A provider's synchronous state machine from frames to stream events. It
 * appends to `out` and may throw: the driver yields what is already in `out`
 * first, so a stream error never swallows the deltas that came before it.
 */
export interface StreamHandler<T> {
  /** One frame → the events it produces, appended to `out`. */
  push(frame: T, out: StreamEvent[]): void;
  /** The body ended: append the closing events (`usage`, `finish`), or throw if it ended too soon. */
  end(out: StreamEvent[]): void;
}

/** What one stream call sends, and how its answer is read. */
export interface StreamPlan<T> {
  /** The driver adds the call's signal, per-call headers and timeouts (see `withCallOptions`). */
  send: SendOptions;
  /** The state machine for this stream, made once the response headers are in. */
  open(headers: Record<string, string>): StreamHandler<T>;
}

interface FrameParser<T> {
  feed(text: string): T[];
  end(): T[];
}

const NO_FAILURE: unique symbol = Symbol("no failure");

type Result = IteratorResult<StreamEvent, void>;
type OnRead = (next: IteratorResult<Uint8Array>) => Result | Promise<Result>;
type OnReadError = (error: unknown) => Promise<Result>;

/**
 * Runs one streamed call: opens the call's signal, sends, cuts the body into
 * frames and runs them through the provider's handler, handing out its events.
 *
 * `prepare` runs at the first `next()`, not at the call, so a bad request
 * (say, no model) rejects the iteration as an `async *stream()` would. Return
 * this from `stream()` directly — a `yield*` around it would add a generator
 * hop per event.
 *
 * Bounded by `plan.send.limits` (see `ResponseLimits`): line and event sizes
 * and the stream's bytes in all (`LimitExceededError`), a whole-stream deadline when the call sets no
 * `timeoutMs`, and an idle limit that only frames with content reset, so a
 * server sending keep-alive pings forever is cut (`TimeoutError` "total" / "idle").
 */
export function driveStream<F extends StreamFraming>(
  transport: Transport,
  options: CallOptions | undefined,
  framing: F,
  prepare: () => StreamPlan<FrameOf<F>>,
): AsyncGenerator<StreamEvent, void, undefined> {
  return new StreamDriver(
    transport,
    options,
    framing === "sse",
    typeof framing === "object" ? framing : undefined,
    prepare,
  );
}

/**
 * Events queued ahead of the consumer before a piped body is paused (the
 * transport stops reading its socket) — the back-pressure that bounds the
 * queue, with one chunk's events of slack; reading resumes once it drains.
 */
const HIGH_WATER_EVENTS = 256;

/**
 * `driveStream`'s generator, written by hand: an `async function*` costs, per
 * event, an await on the value it yields and a frame saved and restored around
 * it; here an event already parsed is handed out as a resolved promise. It
 * keeps a generator's contract: `next()` / `return()` / `throw()` calls made
 * before the previous one settled are served one by one, in order; `return()`
 * / `throw()` before the first `next()` send nothing; after the end every
 * `next()` is done.
 *
 * Two ways to read the body. A transport whose response has `pipe()` (such as
 * `@llm/pool`) calls this driver's `write()` from its own read callback: the
 * chunk is decoded, parsed and turned into events right there, queued, and a
 * consumer waiting in `next()` is woken — no promise per chunk, and a burst of
 * frames in one read costs the consumer no extra task. Otherwise the body's
 * iterator is read with one `then()` per chunk.
 *
 * Hot path: one `Utf8ChunkDecoder` and one incremental parser straight over the
 * body, a reused event buffer, no closures per chunk. The read is not raced
 * against the signal: a transport ends the body when its request's signal
 * aborts (core's fetch transport and `@llm/pool` both do, with `AbortError`
 * or the signal's `LLMError` reason), and a race would cost a promise per chunk.
 */
class StreamDriver implements AsyncGenerator<StreamEvent, void, undefined>, BodySink {
  readonly #transport: Transport;
  readonly #options: CallOptions | undefined;
  readonly #sse: boolean;
  /** Set for a binary framing: its decoder takes the bytes, no `TextDecoder` in between. */
  readonly #binary: BinaryFraming<unknown> | undefined;
  #prepare: (() => StreamPlan<unknown>) | undefined;
  #started = false;
  #finished = false;
  /** A `next()` / `return()` / `throw()` is in progress; later calls wait in `#queue`. */
  #busy = false;
  #queue: Array<() => void> | undefined;
  #call: CallSignal | undefined;
  #deadline: StreamDeadline | undefined;
  /** The body's iterator, when the response cannot be piped. */
  #body: AsyncIterator<Uint8Array> | undefined;
  /** The piped response (its `cancel()` stops it) and the function that resumes its reading. */
  #piped: TransportResponse | undefined;
  #resume: (() => void) | undefined;
  /** The piped body is paused: `write()` returned `false`. */
  #paused = false;
  /** A `next()` waiting for the piped body: settles it with an event, the end or a failure. */
  #wake: ((result: Result | Promise<Result>) => void) | undefined;
  /** The executor that parks such a `next()`; made once per stream, not per wait. */
  #park: ((resolve: (result: Result | Promise<Result>) => void) => void) | undefined;
  #handler: StreamHandler<unknown> | undefined;
  #decoder: Utf8ChunkDecoder | undefined;
  #parser: FrameParser<unknown> | undefined;
  #bytes: BinaryFrameDecoder<unknown> | undefined;
  /** Bytes the body delivered so far, and the most it may (`maxStreamBytes`). */
  #received = 0;
  #maxStreamBytes = 0;
  /** Who answers, for the error of a stream past `maxStreamBytes`. */
  #provider = "";
  /** Events produced and not yet handed out, from `#head` on. */
  readonly #out: StreamEvent[] = [];
  #head = 0;
  /** An error to throw once the events before it are handed out. */
  #failure: unknown = NO_FAILURE;
  /** The body ended and its closing events are in `#out`. */
  #ended = false;

  constructor(
    transport: Transport,
    options: CallOptions | undefined,
    sse: boolean,
    binary: BinaryFraming<unknown> | undefined,
    prepare: () => StreamPlan<unknown>,
  ) {
    this.#transport = transport;
    this.#options = options;
    this.#sse = sse;
    this.#binary = binary;
    this.#prepare = prepare;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Result> {
    if (this.#busy) return this.#enqueue(() => this.next());
    if (this.#head < this.#out.length) return Promise.resolve(this.#take());
    if (this.#finished) return Promise.resolve({ done: true, value: undefined });
    this.#busy = true;
    return this.#started ? this.#advance() : this.#start();
  }

  /** Stops the stream: aborts the request (unless it completed) and releases the body. */
  return(): Promise<Result> {
    if (this.#busy) return this.#enqueue(() => this.return());
    if (!this.#started || this.#finished) {
      this.#started = this.#finished = true;
      return Promise.resolve({ done: true, value: undefined });
    }
    this.#busy = true;
    return this.#close(NO_FAILURE);
  }

  /** Stops the stream as `return()` does, then rejects with `error`. */
  throw(error: unknown): Promise<Result> {
    if (this.#busy) return this.#enqueue(() => this.throw(error));
    if (!this.#started || this.#finished) {
      this.#started = this.#finished = true;
      return Promise.reject(error);
    }
    this.#busy = true;
    return this.#close(error);
  }

  /** First `next()`: builds the request, opens the call's signal and limits, sends. */
  async #start(): Promise<Result> {
    this.#started = true;
    const prepare = this.#prepare as () => StreamPlan<unknown>;
    this.#prepare = undefined;
    const options = this.#options;
    let plan: StreamPlan<unknown>;
    let call: CallSignal;
    try {
      plan = prepare();
      // Our own abort, not just the body iterator's return(): cancelling a fetch body may let the
      // response run on (to reuse the socket) while the model keeps generating tokens we pay for.
      // Through the transport's abort handle when it has one: no AbortController per stream.
      call = openOwnSignal(options?.signal, this.#transport);
    } catch (error) {
      this.#finished = true;
      this.#settle();
      throw error;
    }
    this.#call = call;
    const limits = resolveResponseLimits(plan.send.limits);
    this.#maxStreamBytes = limits.maxStreamBytes;
    this.#provider = plan.send.provider;
    const totalMs = options?.timeoutMs ?? (limits.streamTotalMs ? limits.streamTotalMs : undefined);
    // The transport's body timeout counts any byte, pings included; the idle limit counts frames.
    const idleMs = options?.idleTimeoutMs ?? limits.streamIdleMs;
    if (totalMs !== undefined || idleMs > 0)
      this.#deadline = new StreamDeadline(totalMs, idleMs, call);
    try {
      const send = withCallOptions(plan.send, call.signal, options);
      if (call.aborter !== undefined) send.aborter = call.aborter;
      const response = await sendRequest(this.#transport, send);
      // Typed by framing at the boundary; inside, frames are only passed through.
      this.#handler = plan.open(response.headers);
      if (this.#binary !== undefined) this.#bytes = this.#binary.open(limits);
      else {
        // SSE: the parser strips a leading BOM itself, exactly once; NDJSON lets the decoder do it.
        this.#decoder = new Utf8ChunkDecoder(!this.#sse);
        this.#parser = this.#sse ? new SSEParser(limits) : new NDJSONParser(limits);
      }
      this.#deadline?.startIdle();
      if (response.pipe !== undefined) {
        this.#piped = response;
        // Chunks that already arrived are written at once, before pipe() returns.
        this.#resume = response.pipe(this);
      } else {
        // Made only for an iterated body: a piped stream pays for no closure it never calls.
        this.#onRead = (next) => this.#read(next);
        this.#onReadError = (error) => this.#close(error);
        this.#body = response.body[Symbol.asyncIterator]();
      }
    } catch (error) {
      return this.#close(error);
    }
    if (this.#head < this.#out.length) {
      const result = this.#take();
      this.#settle();
      return result;
    }
    return this.#advance();
  }

  /** Busy, nothing buffered: the pending failure, the end, or the next read. */
  #advance(): Promise<Result> {
    if (this.#failure !== NO_FAILURE) return this.#close(this.#failure);
    if (this.#ended) return this.#complete();
    if (this.#piped !== undefined) {
      this.#park ??= (resolve) => {
        this.#wake = resolve;
      };
      return new Promise<Result>(this.#park);
    }
    return (this.#body as AsyncIterator<Uint8Array>)
      .next()
      .then(this.#onRead as OnRead, this.#onReadError as OnReadError);
  }

  // ── BodySink: the piped body, called from the transport's read callback ──

  write(chunk: Uint8Array): boolean {
    if (this.#finished || this.#failure !== NO_FAILURE) return false;
    try {
      this.#consume(chunk);
    } catch (error) {
      // The parser's own errors (a line over the limit): after the events already queued.
      this.#failure = error;
    }
    this.#wakeParked();
    if (this.#failure !== NO_FAILURE || this.#out.length - this.#head < HIGH_WATER_EVENTS)
      return this.#failure === NO_FAILURE;
    this.#paused = true;
    return false;
  }

  end(): void {
    if (this.#finished || this.#failure !== NO_FAILURE) return;
    try {
      this.#consumeEnd();
    } catch (error) {
      this.#failure = error;
    }
    this.#wakeParked();
  }

  fail(error: unknown): void {
    if (this.#finished || this.#failure !== NO_FAILURE) return;
    this.#failure = error;
    this.#wakeParked();
  }

  /** The piped body brought something: a `next()` parked for it settles now. */
  #wakeParked(): void {
    const wake = this.#wake;
    if (wake === undefined) return;
    if (this.#head < this.#out.length) {
      this.#wake = undefined;
      wake(this.#take());
      this.#settle();
    } else if (this.#failure !== NO_FAILURE || this.#ended) {
      this.#wake = undefined;
      wake(this.#advance());
    }
  }

  // ── The body's iterator, for a response that cannot be piped ──

  #onRead: OnRead | undefined;
  #onReadError: OnReadError | undefined;

  #read(next: IteratorResult<Uint8Array>): Result | Promise<Result> {
    try {
      if (next.done) this.#consumeEnd();
      else this.#consume(next.value);
    } catch (error) {
      // The parser's own errors (a line over the limit): nothing of this chunk is handed out.
      return this.#close(error);
    }
    if (this.#head < this.#out.length) {
      const result = this.#take();
      this.#settle();
      return result;
    }
    return this.#advance();
  }

  /**
   * One chunk through the framing and the handler, into `#out`. The handler's
   * failure is recorded in `#failure` (handed out after the events before it);
   * the framing's own errors are thrown.
   */
  #consume(chunk: Uint8Array): void {
    this.#received += chunk.byteLength;
    if (this.#received > this.#maxStreamBytes) {
      // Nothing of this chunk is read: what the stream accumulated stays within the bound.
      throw new LimitExceededError(
        "streamBytes",
        this.#maxStreamBytes,
        this.#received,
        `${this.#provider} stream`,
        { provider: this.#provider },
      );
    }
    const bytes = this.#bytes;
    const frames =
      bytes !== undefined
        ? bytes.feed(chunk)
        : (this.#parser as FrameParser<unknown>).feed(
            (this.#decoder as Utf8ChunkDecoder).decode(chunk),
          );
    if (frames.length > 0) this.#deadline?.touch();
    this.#failure = feed(this.#handler as StreamHandler<unknown>, frames, this.#sse, this.#out);
  }

  /** The body ended: the framing's last frames, then the handler's closing events. */
  #consumeEnd(): void {
    this.#ended = true;
    const handler = this.#handler as StreamHandler<unknown>;
    const out = this.#out;
    const bytes = this.#bytes;
    let failure: unknown;
    if (bytes !== undefined) failure = feed(handler, bytes.end(), false, out);
    else {
      const parser = this.#parser as FrameParser<unknown>;
      failure = feed(
        handler,
        parser.feed((this.#decoder as Utf8ChunkDecoder).end()),
        this.#sse,
        out,
      );
      if (failure === NO_FAILURE) failure = feed(handler, parser.end(), this.#sse, out);
    }
    if (failure === NO_FAILURE) failure = end(handler, out);
    this.#failure = failure;
  }

  #take(): Result {
    const out = this.#out;
    const value = out[this.#head++] as StreamEvent;
    if (this.#head === out.length) {
      this.#head = 0;
      // Usually one event per chunk: pop() is a fast builtin, `out.length = 0` a runtime call.
      while (out.length > 0) out.pop();
    }
    if (this.#paused && out.length - this.#head < HIGH_WATER_EVENTS / 2) {
      this.#paused = false;
      // Last: resuming may write more chunks (and events) synchronously.
      (this.#resume as () => void)();
    }
    return { done: false, value };
  }

  /** The consumer read past the last event: the call completed, nothing to abort. */
  #complete(): Promise<Result> {
    this.#finished = true;
    this.#deadline?.stop();
    this.#call?.dispose();
    this.#settle();
    return Promise.resolve({ done: true, value: undefined });
  }

  /**
   * Ends the call early (a failure, `return()`, `throw()`): the call's signal
   * is aborted BEFORE the body is released — a transport detaches from the
   * signal once its body is closed — then rejects with `failure`, if any.
   */
  async #close(failure: unknown): Promise<Result> {
    this.#finished = true;
    this.#head = 0;
    this.#out.length = 0;
    this.#deadline?.stop();
    this.#call?.abort();
    try {
      if (this.#piped !== undefined) await this.#piped.cancel();
      else await this.#body?.return?.();
    } catch {
      // The body's own failure to close changes nothing: the request is already aborted.
    }
    this.#call?.dispose();
    this.#settle();
    if (failure !== NO_FAILURE) throw failure;
    return { done: true, value: undefined };
  }

  /** The call in progress settled: run the calls that waited for it, in order. */
  #settle(): void {
    this.#busy = false;
    const queue = this.#queue;
    while (queue !== undefined && queue.length > 0 && !this.#busy) (queue.shift() as () => void)();
  }

  #enqueue(run: () => Promise<Result>): Promise<Result> {
    this.#queue ??= [];
    const queue = this.#queue;
    return new Promise<Result>((resolve, reject) => {
      queue.push(() => {
        run().then(resolve, reject);
      });
    });
  }
}

/**
 * Runs a batch of frames through the handler. A failure is returned, not
 * thrown, so the events produced before it are still handed out first.
 */
function feed(
  handler: StreamHandler<unknown>,
  frames: unknown[],
  sse: boolean,
  out: StreamEvent[],
): unknown {
  try {
    if (sse)
      for (let i = 0; i < frames.length; i++) handler.push((frames[i] as SSEEvent).data, out);
    else for (let i = 0; i < frames.length; i++) handler.push(frames[i], out);
    return NO_FAILURE;
  } catch (error) {
    return error;
  }
}

function end(handler: StreamHandler<unknown>, out: StreamEvent[]): unknown {
  try {
    handler.end(out);
    return NO_FAILURE;
  } catch (error) {
    return error;
  }
}
