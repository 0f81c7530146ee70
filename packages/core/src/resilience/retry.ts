import type { CallOptions } from "../client.js";
import { AbortError } from "../errors/errors.js";
import type { Middleware, StreamContext } from "../middleware.js";
import type { ChatRequest } from "../request.js";
import { replaysIdentically } from "../sampling.js";
import type { StreamEvent } from "../stream-event.js";
import { ReplayDiverged, recordedAttempt, resumeStream, ShownContent } from "./resume-stream.js";
import type { RetryOptions } from "./retry-plan.js";
import { retryPlanner } from "./retry-plan.js";
import { attemptStream } from "./stream-content.js";

/**
 * Retries failed calls with exponential backoff and FULL jitter
 * (`random() * min(maxDelayMs, baseDelayMs * 2^(attempt-1))`, after AWS's
 * "Exponential Backoff And Jitter"), so a fleet of clients does not retry in
 * lock-step.
 *
 * A provider's hint (`retryAfterMs` on `RateLimitError`, `ProviderError`,
 * `CircuitOpenError`) is a floor: the wait is at least the hint. A hint
 * above `maxDelayMs` means "not soon": the middleware gives up at once and
 * rethrows rather than sleep past its cap. The caller's `AbortSignal`
 * interrupts a wait. When it gives up, the last error is rethrown unchanged —
 * except for a stream it was resuming, which ends with the error that cut it.
 */
export function retryMiddleware(options: RetryOptions = {}): Middleware {
  const { plan, sleep } = retryPlanner(options);
  const resumeStreams = options.resumeStreams ?? "deterministic";
  const restartVisibly = options.retryStreamsAfterContent === true;

  const middleware: Middleware = {
    name: "retry",
    async wrapGenerate({ request, options: callOptions, next }) {
      const started = Date.now();
      for (let attempt = 1; ; attempt++) {
        try {
          return await next(request, callOptions);
        } catch (error) {
          const delayMs = plan(error, attempt, started, callOptions);
          if (delayMs === undefined) throw error;
          options.onRetry?.({ attempt, error, delayMs });
          await sleep(delayMs, callOptions.signal);
        }
      }
    },
    async *wrapStream({ request, options: callOptions, next }): AsyncGenerator<StreamEvent> {
      const resumable =
        resumeStreams === "always" ||
        (resumeStreams === "deterministic" && replaysIdentically(request));
      if (resumable) {
        yield* resumingStream(request, callOptions, next);
        return;
      }
      const started = Date.now();
      const state = { content: false };
      for (let attempt = 1; ; attempt++) {
        try {
          yield* attemptStream(next(request, callOptions), state);
          return;
        } catch (error) {
          if (state.content && !options.retryStreamsAfterContent) throw error;
          const delayMs = plan(error, attempt, started, callOptions);
          if (delayMs === undefined) throw error;
          options.onRetry?.({ attempt, error, delayMs });
          await sleep(delayMs, callOptions.signal);
        }
      }
    },
  };

  /** `wrapStream` for a request whose broken stream may be resumed (see `resumeStreams`). */
  async function* resumingStream(
    request: ChatRequest,
    callOptions: CallOptions,
    next: StreamContext["next"],
  ): AsyncGenerator<StreamEvent> {
    const started = Date.now();
    const shown = new ShownContent();
    /** The error that cut the stream where the caller last saw it. */
    let cut: unknown;
    let resuming = false;
    for (let attempt = 1; ; attempt++) {
      const before = shown.count;
      try {
        yield* resuming
          ? resumeStream(next(request, callOptions), shown, restartVisibly)
          : recordedAttempt(next(request, callOptions), shown);
        return;
      } catch (error) {
        if (error instanceof ReplayDiverged) throw cut;
        if (shown.count !== before) cut = error;
        // Text or reasoning shown, no tool call: the next attempt resumes.
        const resume = shown.count > 0 && !shown.tools;
        if (shown.count > 0 && !resume && !restartVisibly) throw error;
        const delayMs = plan(error, attempt, started, callOptions);
        if (delayMs === undefined) {
          // The caller of a resumable stream sees the error that cut it, unless it aborted itself.
          if (!resume || error instanceof AbortError || callOptions.signal?.aborted) throw error;
          throw cut;
        }
        options.onRetry?.(
          resume ? { attempt, error, delayMs, resume } : { attempt, error, delayMs },
        );
        await sleep(delayMs, callOptions.signal);
        resuming = resume;
      }
    }
  }

  return middleware;
}

export type { RetryInfo, RetryOptions } from "./retry-plan.js";
