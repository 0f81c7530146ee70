import type { CallOptions } from "../client.js";
import type { JsonValue } from "../json.js";
import type { StreamEvent } from "../stream-event.js";
import { NDJSONParser } from "../streaming/ndjson-parser.js";
import { type SSEEvent, SSEParser } from "../streaming/sse-parser.js";
import type { Transport } from "../transport.js";
import { withCallOptions } from "./call-json.js";
import { type CallSignal, openCallSignal } from "./call-signal.js";
import { type SendOptions, sendStream } from "./send.js";

/**
 * How a streamed body is cut into frames: `"sse"` hands the handler each
 * event's `data` payload (LLM APIs repeat the event name inside it, and a
 * POST stream is never resumed, so `id` / `retry` carry nothing); `"ndjson"`
 * hands it each line's parsed JSON value (a malformed line throws `ParseError`).
 */
export type StreamFraming = "sse" | "ndjson";

/** The frame type a framing produces. */
export type FrameOf<F extends StreamFraming> = F extends "sse" ? string : JsonValue;

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

/** What the driver needs of a `TextDecoder` (the DOM lib's type is not in this package's lib). */
interface Decoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

interface FrameParser<T> {
  feed(text: string): T[];
  end(): T[];
}

const NO_FAILURE: unique symbol = Symbol("no failure");
/** One options object for every chunk's `decode`, instead of a literal per chunk. */
const STREAMING = Object.freeze({ stream: true });
const DONE: IteratorReturnResult<void> = Object.freeze({ done: true, value: undefined });

/**
 * Runs one streamed call: opens the call's signal, sends, cuts the body into
 * frames and runs them through the provider's handler, yielding its events.
 *
 * `prepare` runs at the first `next()`, not at the call, so a bad request
 * (say, no model) rejects the iteration as an `async *stream()` would. Return
 * this iterator from `stream()` directly — a `yield*` around it would add a
 * generator hop per event.
 *
 * Hot path: one `TextDecoder` and one incremental parser straight over the
 * body, a reused `out` array, no closures per chunk — and no async generator:
 * the returned object is a hand-written `AsyncGenerator` whose `next()` hands
 * out buffered events as resolved promises and otherwise chains one `then`
 * on the body's `next()`. A generator would suspend twice per chunk (the
 * read's `await` and the `yield`, which awaits again), saving and restoring
 * its frame each time. The read is not raced against the signal: a transport
 * ends the body when its request's signal aborts (core's fetch transport and
 * `@llm/pool` both do, with `AbortError` or the signal's `LLMError` reason),
 * and a race would cost a promise per chunk.
 */
export function driveStream<F extends StreamFraming>(
  transport: Transport,
  options: CallOptions | undefined,
  framing: F,
  prepare: () => StreamPlan<FrameOf<F>>,
): AsyncGenerator<StreamEvent, void, undefined> {
  // Typed by framing at the boundary; inside, frames are only passed through.
  return new DrivenStream(
    transport,
    options,
    framing === "sse",
    prepare as () => StreamPlan<unknown>,
  );
}

/**
 * The iterator `driveStream` returns. Behaves as the equivalent `async function*` would:
 * calls are served one at a time in order, events before a failure are delivered first,
 * `return()` / `throw()` / a failure end the request (our signal aborted BEFORE the body is
 * returned — a transport detaches from the signal once its body is closed), and a finished
 * stream answers `{ done: true }`.
 */
class DrivenStream implements AsyncGenerator<StreamEvent, void, undefined> {
  readonly #transport: Transport;
  readonly #options: CallOptions | undefined;
  readonly #sse: boolean;
  #prepare: (() => StreamPlan<unknown>) | undefined;
  /** "new" until the first `next()`; "finished" once done, failed, returned or thrown into. */
  #phase: "new" | "open" | "finished" = "new";
  #call: CallSignal | undefined;
  #body: AsyncIterator<Uint8Array> | undefined;
  #handler: StreamHandler<unknown> | undefined;
  #parser: FrameParser<unknown> | undefined;
  #decoder: Decoder | undefined;
  readonly #out: StreamEvent[] = [];
  #at = 0;
  /** The body ended and its closing events are in `#out`: once they are out, the stream is done. */
  #drained = false;
  /** A handler / parser failure, thrown once the events produced before it are out. */
  #failure: unknown = NO_FAILURE;
  /** An operation is in flight; calls that arrive meanwhile wait their turn, in order. */
  #busy = false;
  readonly #waiting: Array<() => void> = [];
  /** Bound once per stream: the continuation of every body read. */
  readonly #onChunk = (
    next: IteratorResult<Uint8Array>,
  ): Promise<IteratorResult<StreamEvent, void>> | IteratorResult<StreamEvent, void> => {
    const failure = next.done ? this.#endBody() : this.#feed(next.value);
    if (failure !== NO_FAILURE) this.#failure = failure;
    if (this.#at < this.#out.length) return this.#settle(this.#take());
    return this.#advance();
  };
  readonly #onReadError = (error: unknown): Promise<never> => this.#fail(error);

  constructor(
    transport: Transport,
    options: CallOptions | undefined,
    sse: boolean,
    prepare: () => StreamPlan<unknown>,
  ) {
    this.#transport = transport;
    this.#options = options;
    this.#sse = sse;
    this.#prepare = prepare;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent, void>> {
    if (this.#busy) return this.#queue(() => this.#next());
    // Buffered events and a finished stream are answered at once, without taking a turn.
    if (this.#at < this.#out.length) return Promise.resolve(this.#take());
    if (this.#phase === "finished") return Promise.resolve(DONE);
    this.#busy = true;
    return this.#run();
  }

  /** `break` out of `for await`, or an explicit `return()`: ends the request, as a generator's `finally` would. */
  return(): Promise<IteratorResult<StreamEvent, void>> {
    if (this.#busy) return this.#queue(() => this.#return());
    this.#busy = true;
    return this.#return();
  }

  throw(error: unknown): Promise<IteratorResult<StreamEvent, void>> {
    if (this.#busy) return this.#queue(() => this.#throw(error));
    this.#busy = true;
    return this.#throw(error);
  }

  // ── one turn each (called holding the turn: `#busy` is true) ──

  #next(): Promise<IteratorResult<StreamEvent, void>> {
    if (this.#at < this.#out.length) return Promise.resolve(this.#settle(this.#take()));
    if (this.#phase === "finished") return Promise.resolve(this.#settle(DONE));
    return this.#run();
  }

  #run(): Promise<IteratorResult<StreamEvent, void>> {
    return this.#phase === "new" ? this.#open() : this.#advance();
  }

  #return(): Promise<IteratorResult<StreamEvent, void>> {
    if (this.#phase !== "open") {
      this.#phase = "finished";
      return Promise.resolve(this.#settle(DONE));
    }
    return this.#close(false).then(() => this.#settle(DONE));
  }

  #throw(error: unknown): Promise<IteratorResult<StreamEvent, void>> {
    if (this.#phase !== "open") {
      this.#phase = "finished";
      this.#settle(DONE);
      return Promise.reject(error);
    }
    return this.#fail(error);
  }

  // ── the stream ──

  /** The first `next()`: prepares and sends, then reads as usual. */
  async #open(): Promise<IteratorResult<StreamEvent, void>> {
    const prepare = this.#prepare as () => StreamPlan<unknown>;
    this.#prepare = undefined;
    let plan: StreamPlan<unknown>;
    try {
      plan = prepare();
      // Our own abort, not just the body iterator's return(): cancelling a fetch body may let the
      // response run on (to reuse the socket) while the model keeps generating tokens we pay for.
      this.#call = openCallSignal(this.#options, true);
    } catch (error) {
      // Nothing was sent: nothing to end.
      this.#phase = "finished";
      this.#settle(DONE);
      throw error;
    }
    this.#phase = "open";
    try {
      const call = this.#call;
      const result = await sendStream(
        this.#transport,
        withCallOptions(plan.send, call.signal, this.#options),
      );
      this.#handler = plan.open(result.headers) as StreamHandler<unknown>;
      // SSE: the parser strips a leading BOM itself, exactly once; NDJSON lets the decoder do it.
      this.#decoder = this.#sse
        ? new TextDecoder("utf-8", { ignoreBOM: true })
        : new TextDecoder("utf-8");
      this.#parser = this.#sse ? new SSEParser() : new NDJSONParser();
      this.#body = result.body[Symbol.asyncIterator]();
    } catch (error) {
      return this.#fail(error);
    }
    return this.#advance();
  }

  /** Out of events: throws a pending failure, completes a drained stream, or reads the next chunk. */
  #advance(): Promise<IteratorResult<StreamEvent, void>> {
    if (this.#failure !== NO_FAILURE) {
      const failure = this.#failure;
      this.#failure = NO_FAILURE;
      return this.#fail(failure);
    }
    if (this.#drained) return this.#close(true).then(() => this.#settle(DONE));
    return (this.#body as AsyncIterator<Uint8Array>).next().then(this.#onChunk, this.#onReadError);
  }

  #feed(chunk: Uint8Array): unknown {
    const text = (this.#decoder as Decoder).decode(chunk, STREAMING);
    return feed(
      this.#handler as StreamHandler<unknown>,
      (this.#parser as FrameParser<unknown>).feed(text),
      this.#sse,
      this.#out,
    );
  }

  /** The body ended: the decoder's and parser's tails, then the handler's closing events. */
  #endBody(): unknown {
    this.#drained = true;
    const handler = this.#handler as StreamHandler<unknown>;
    const parser = this.#parser as FrameParser<unknown>;
    let failure = feed(
      handler,
      parser.feed((this.#decoder as Decoder).decode()),
      this.#sse,
      this.#out,
    );
    if (failure === NO_FAILURE) failure = feed(handler, parser.end(), this.#sse, this.#out);
    if (failure === NO_FAILURE) failure = end(handler, this.#out);
    return failure;
  }

  #take(): IteratorYieldResult<StreamEvent> {
    const out = this.#out;
    const value = out[this.#at++] as StreamEvent;
    if (this.#at === out.length) {
      // Usually one event per chunk: pop() is a fast builtin, `out.length = 0` a runtime call.
      while (out.length > 0) out.pop();
      this.#at = 0;
    }
    return { done: false, value };
  }

  /** Ends the stream with `error` (after ending the request) and rejects the call with it. */
  #fail(error: unknown): Promise<never> {
    return this.#close(false).then(() => {
      this.#settle(DONE);
      throw error;
    });
  }

  /**
   * Finishes the stream. Not `completed` (failure, return, throw): aborts our signal, THEN
   * returns the body — a transport detaches from the signal once its body is closed.
   */
  async #close(completed: boolean): Promise<void> {
    this.#phase = "finished";
    this.#out.length = 0;
    this.#at = 0;
    this.#failure = NO_FAILURE;
    const call = this.#call;
    this.#call = undefined;
    if (call === undefined) return;
    try {
      if (!completed) {
        call.abort();
        await this.#body?.return?.().catch(() => undefined);
      }
    } finally {
      call.dispose();
    }
  }

  /** This turn is over: the next waiting call (if any) takes it, else the stream is free. */
  #settle<R>(result: R): R {
    const next = this.#waiting.shift();
    if (next === undefined) this.#busy = false;
    else next();
    return result;
  }

  #queue(
    call: () => Promise<IteratorResult<StreamEvent, void>>,
  ): Promise<IteratorResult<StreamEvent, void>> {
    return new Promise<void>((resolve) => this.#waiting.push(resolve)).then(call);
  }
}

/**
 * Runs a batch of frames through the handler. A failure is returned, not
 * thrown, so the events produced before it are still yielded first.
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
