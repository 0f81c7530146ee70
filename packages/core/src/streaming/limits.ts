import { LimitExceededError } from "../errors/errors.js";

/**
 * Bounds on what a provider may send back. Every input from outside has one,
 * so a broken or hostile upstream cannot grow the process's memory or hold a
 * call forever. Each crossing fails with `LimitExceededError` (sizes) or
 * `TimeoutError` (deadlines).
 */
export interface ResponseLimits {
  /** Longest line of an SSE or NDJSON stream, in bytes of decoded text. Default 1 MiB. */
  maxLineBytes?: number;
  /** Largest SSE event (its `data:` lines joined), in bytes of decoded text. Default 8 MiB. */
  maxEventBytes?: number;
  /** Largest non-streamed (JSON) response body, in bytes. Default 32 MiB. */
  maxBodyBytes?: number;
  /**
   * Most bytes one stream may deliver, in all. Default 256 MiB: far above a
   * real answer (128k output tokens stream as about 30 MiB of chunks), and a
   * bound on everything a stream accumulates — tool-call arguments, a refusal,
   * the text a consumer collects — however many small events carry it, which
   * the line and event limits alone do not give.
   */
  maxStreamBytes?: number;
  /**
   * Whole-stream deadline when the call sets no `timeoutMs`, ms. Default 10 min.
   * Keep-alive pings cannot stretch a stream past it. 0 turns it off.
   */
  streamTotalMs?: number;
  /**
   * Longest wait between two meaningful stream frames (an SSE event with data,
   * an NDJSON value) when the call sets no `idleTimeoutMs`, ms. Comments
   * (`: ping`) and blank lines do not count as activity. Default 5 min. 0 turns it off.
   */
  streamIdleMs?: number;
}

export type ResolvedResponseLimits = Required<ResponseLimits>;

const MiB = 1024 * 1024;

export const DEFAULT_RESPONSE_LIMITS: Readonly<ResolvedResponseLimits> = Object.freeze({
  maxLineBytes: 1 * MiB,
  maxEventBytes: 8 * MiB,
  maxBodyBytes: 32 * MiB,
  maxStreamBytes: 256 * MiB,
  streamTotalMs: 600_000,
  streamIdleMs: 300_000,
});

/** The limits in force: each given value over its default. */
export function resolveResponseLimits(limits: ResponseLimits | undefined): ResolvedResponseLimits {
  if (limits === undefined) return DEFAULT_RESPONSE_LIMITS;
  return {
    maxLineBytes: limits.maxLineBytes ?? DEFAULT_RESPONSE_LIMITS.maxLineBytes,
    maxEventBytes: limits.maxEventBytes ?? DEFAULT_RESPONSE_LIMITS.maxEventBytes,
    maxBodyBytes: limits.maxBodyBytes ?? DEFAULT_RESPONSE_LIMITS.maxBodyBytes,
    maxStreamBytes: limits.maxStreamBytes ?? DEFAULT_RESPONSE_LIMITS.maxStreamBytes,
    streamTotalMs: limits.streamTotalMs ?? DEFAULT_RESPONSE_LIMITS.streamTotalMs,
    streamIdleMs: limits.streamIdleMs ?? DEFAULT_RESPONSE_LIMITS.streamIdleMs,
  };
}

/** Size bounds the stream parsers enforce. */
export interface ParserLimits {
  /** Default `DEFAULT_RESPONSE_LIMITS.maxLineBytes`. */
  maxLineBytes?: number;
  /** SSE only. Default `DEFAULT_RESPONSE_LIMITS.maxEventBytes`. */
  maxEventBytes?: number;
}

/**
 * Throws when a stream line is longer than `max`. Shared by the SSE and NDJSON parsers;
 * `format` and the 0-based `line` number only build the message when the limit is crossed.
 */
export function checkLineLength(max: number, length: number, format: string, line: number): void {
  if (length > max) {
    throw new LimitExceededError("lineBytes", max, length, `${format} line ${line + 1}`);
  }
}
