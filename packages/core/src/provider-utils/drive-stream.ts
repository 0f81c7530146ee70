import type { CallOptions } from "../client.js";
import type { JsonValue } from "../json.js";
import type { StreamEvent } from "../stream-event.js";
import { resolveResponseLimits } from "../streaming/limits.js";
import { NDJSONParser } from "../streaming/ndjson-parser.js";
import { type SSEEvent, SSEParser } from "../streaming/sse-parser.js";
import type { Transport } from "../transport.js";
import { withCallOptions } from "./call-json.js";
import { openCallSignal } from "./call-signal.js";
import { IdleWatch } from "./idle-watch.js";
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

interface FrameParser<T> {
  feed(text: string): T[];
  end(): T[];
}

const NO_FAILURE: unique symbol = Symbol("no failure");

/**
 * Runs one streamed call: opens the call's signal, sends, cuts the body into
 * frames and runs them through the provider's handler, yielding its events.
 *
 * `prepare` runs at the first `next()`, not at the call, so a bad request
 * (say, no model) rejects the iteration as an `async *stream()` would. Return
 * this generator from `stream()` directly — a `yield*` around it would add a
 * generator hop per event.
 *
 * Hot path: one `TextDecoder` and one incremental parser straight over the
 * body, a reused `out` array, no generator layers and no closures per chunk.
 * The read is not raced against the signal: a transport ends the body when
 * its request's signal aborts (core's fetch transport and `@llm/pool` both
 * do, with `AbortError` or the signal's `LLMError` reason), and a race would
 * cost a promise per chunk.
 *
 * Bounded by `plan.send.limits` (see `ResponseLimits`): line and event sizes
 * (`LimitExceededError`), a whole-stream deadline when the call sets no
 * `timeoutMs`, and an idle limit that only frames with content reset, so a
 * server sending keep-alive pings forever is cut (`TimeoutError` "total" / "idle").
 */
export async function* driveStream<F extends StreamFraming>(
  transport: Transport,
  options: CallOptions | undefined,
  framing: F,
  prepare: () => StreamPlan<FrameOf<F>>,
): AsyncGenerator<StreamEvent, void, undefined> {
  const plan = prepare();
  const limits = resolveResponseLimits(plan.send.limits);
  // Our own abort, not just the body iterator's return(): cancelling a fetch body may let the
  // response run on (to reuse the socket) while the model keeps generating tokens we pay for.
  const call = openCallSignal(options, true, limits.streamTotalMs);
  const idleMs = options?.idleTimeoutMs ?? limits.streamIdleMs;
  // The transport's body timeout counts any byte, pings included; this one counts frames.
  const idle = idleMs > 0 ? new IdleWatch(idleMs, (error) => call.abort(error)) : undefined;
  let completed = false;
  let body: AsyncIterator<Uint8Array> | undefined;
  try {
    const result = await sendStream(transport, withCallOptions(plan.send, call.signal, options));
    // Typed by framing at the boundary; inside, frames are only passed through.
    const handler: StreamHandler<unknown> = plan.open(result.headers);
    // SSE: the parser strips a leading BOM itself, exactly once; NDJSON lets the decoder do it.
    const sse = framing === "sse";
    const decoder = sse ? new TextDecoder("utf-8", { ignoreBOM: true }) : new TextDecoder("utf-8");
    const parser: FrameParser<unknown> = sse ? new SSEParser(limits) : new NDJSONParser(limits);
    const out: StreamEvent[] = [];
    // A manual loop, not `for await`: on an early exit the finally below must abort BEFORE the
    // body is returned — a transport detaches from the signal once its body is closed.
    body = result.body[Symbol.asyncIterator]();
    idle?.start();
    while (true) {
      const next = await body.next();
      if (next.done) break;
      const frames = parser.feed(decoder.decode(next.value, { stream: true }));
      if (frames.length > 0) idle?.touch();
      const failure = feed(handler, frames, sse, out);
      for (let i = 0; i < out.length; i++) yield out[i] as StreamEvent;
      out.length = 0;
      if (failure !== NO_FAILURE) throw failure;
    }
    let failure = feed(handler, parser.feed(decoder.decode()), sse, out);
    if (failure === NO_FAILURE) failure = feed(handler, parser.end(), sse, out);
    if (failure === NO_FAILURE) failure = end(handler, out);
    for (let i = 0; i < out.length; i++) yield out[i] as StreamEvent;
    if (failure !== NO_FAILURE) throw failure;
    completed = true;
  } finally {
    idle?.stop();
    // Breaking out of `for await` (or failing) lands here with `completed` false: end the request.
    if (!completed) {
      call.abort();
      await body?.return?.().catch(() => undefined);
    }
    call.dispose();
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
