import type { CallOptions } from "../client.js";
import type { TimeoutPhase } from "../errors/errors.js";
import type { Middleware } from "../middleware.js";
import type { StreamEvent } from "../stream-event.js";
import { Deadline } from "./deadline.js";

export interface TimeoutOptions {
  /** Whole call; for a stream, until its last event. */
  totalMs?: number;
  /** Stream start → first event. */
  firstTokenMs?: number;
  /** Longest gap between two stream events (the wait for the first one included). */
  idleMs?: number;
}

interface Limits {
  totalMs: number | undefined;
  firstTokenMs: number | undefined;
  idleMs: number | undefined;
}

/**
 * Deadlines for calls. Per-call `CallOptions.timeoutMs`,
 * `firstTokenTimeoutMs` and `idleTimeoutMs` win over these defaults.
 *
 * On expiry the inner call is aborted through the `AbortSignal` passed down
 * in its options (its reason is the `TimeoutError`), and the caller gets a
 * `TimeoutError` whose `phase` is `total`, `first-token` or `idle` — at once,
 * even if the inner call ignores its signal. `generate` is bounded by the
 * total deadline only (its first token arrives with the whole answer); for
 * streams the effective limits are also passed down in the options, so a
 * provider can set its transport's header and body timeouts from them.
 *
 * Timers are unref'd and cleared when the call settles.
 */
export function timeoutMiddleware(defaults: TimeoutOptions = {}): Middleware {
  const limitsFor = (options: CallOptions): Limits => ({
    totalMs: options.timeoutMs ?? defaults.totalMs,
    firstTokenMs: options.firstTokenTimeoutMs ?? defaults.firstTokenMs,
    idleMs: options.idleTimeoutMs ?? defaults.idleMs,
  });

  return {
    name: "timeout",
    async wrapGenerate({ request, options, next }) {
      const limits = limitsFor(options);
      if (limits.totalMs === undefined) return next(request, options);
      const deadline = new Deadline(options.signal);
      try {
        deadline.arm("total", limits.totalMs);
        // Only the total deadline is added: the middleware's stream limits are not
        // injected into a generate call (its "first token" is the whole answer).
        const inner = next(request, {
          ...options,
          signal: deadline.signal,
          timeoutMs: limits.totalMs,
        });
        return await deadline.race(inner);
      } finally {
        deadline.dispose();
      }
    },
    async *wrapStream({ request, options, next }): AsyncGenerator<StreamEvent> {
      const limits = limitsFor(options);
      if (
        limits.totalMs === undefined &&
        limits.firstTokenMs === undefined &&
        limits.idleMs === undefined
      ) {
        yield* next(request, options);
        return;
      }
      const deadline = new Deadline(options.signal);
      const iterator = next(request, innerOptions(options, limits, deadline.signal))[
        Symbol.asyncIterator
      ]();
      let done = false;
      try {
        if (limits.totalMs !== undefined) deadline.arm("total", limits.totalMs);
        let first = true;
        while (true) {
          // Before the first event both the first-token and the idle limit apply; the shorter wins.
          const gap = gapLimit(first, limits);
          if (gap) deadline.armGap(gap.phase, gap.ms);
          const result = await deadline.race(iterator.next());
          deadline.disarmGap();
          if (result.done) {
            done = true;
            return;
          }
          first = false;
          yield result.value;
        }
      } finally {
        deadline.dispose();
        if (!done) {
          // A pending next() would make return() wait for it: do not wait when aborted.
          const closing = iterator.return?.();
          if (deadline.signal.aborted) closing?.catch(() => undefined);
          else await closing?.catch(() => undefined);
        }
      }
    },
  };
}

function gapLimit(first: boolean, limits: Limits): { phase: TimeoutPhase; ms: number } | undefined {
  const idle = limits.idleMs;
  if (!first) return idle === undefined ? undefined : { phase: "idle", ms: idle };
  const firstToken = limits.firstTokenMs;
  if (firstToken === undefined) return idle === undefined ? undefined : { phase: "idle", ms: idle };
  if (idle !== undefined && idle < firstToken) return { phase: "idle", ms: idle };
  return { phase: "first-token", ms: firstToken };
}

function innerOptions(options: CallOptions, limits: Limits, signal: AbortSignal): CallOptions {
  const out: CallOptions = { ...options, signal };
  if (limits.totalMs !== undefined) out.timeoutMs = limits.totalMs;
  if (limits.firstTokenMs !== undefined) out.firstTokenTimeoutMs = limits.firstTokenMs;
  if (limits.idleMs !== undefined) out.idleTimeoutMs = limits.idleMs;
  return out;
}
