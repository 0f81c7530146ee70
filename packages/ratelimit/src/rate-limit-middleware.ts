import {
  type ChatRequest,
  type ChatResponse,
  isLLMError,
  type Middleware,
  RateLimitError,
  type StreamEvent,
} from "@llm/core";
import { estimateRequestTokens } from "./estimate-tokens.js";
import type { RateLimit, RateLimitPermit } from "./rate-limit.js";
import { RateLimitBudgetError } from "./rate-limit-errors.js";

export interface RateLimitMiddlewareOptions {
  /** Tokens charged before the usage is known. Default `estimateRequestTokens`. */
  estimateTokens?: (request: ChatRequest) => number;
  /**
   * Learn from the provider: its rate-limit headers tighten the budget, and a
   * 429's `retry-after` holds every caller of the budget back. Default true.
   */
  learn?: boolean;
}

/**
 * Every call takes one request and its estimated tokens from `limit` before
 * it goes upstream (waiting its turn, or refused with `RateLimitBudgetError`),
 * and settles the tokens with the real usage when the answer ends. Put it
 * below the cache (hits spend nothing) and below retry (each attempt spends).
 */
export function rateLimitMiddleware(
  limit: RateLimit,
  options: RateLimitMiddlewareOptions = {},
): Middleware {
  const estimate = options.estimateTokens ?? estimateRequestTokens;
  const learn = options.learn ?? true;

  const onError = async (permit: RateLimitPermit, error: unknown): Promise<void> => {
    // A refused call used no tokens; its request still counts, as the provider counts it.
    await permit.settle(0);
    if (learn && error instanceof RateLimitError && !(error instanceof RateLimitBudgetError)) {
      if (error.retryAfterMs !== undefined) await limit.penalize(error.retryAfterMs);
    }
  };

  return {
    name: "rate-limit",
    async wrapGenerate({ request, options: call, next }) {
      const permit = await limit.acquire(estimate(request), acquireOptions(call.signal));
      let response: ChatResponse;
      try {
        response = await next();
      } catch (error) {
        await onError(permit, error);
        throw error;
      }
      await permit.settle(response.usage.totalTokens);
      if (learn && response.rateLimit) await limit.observe(response.rateLimit);
      return response;
    },
    async *wrapStream({ request, options: call, next }): AsyncIterable<StreamEvent> {
      const permit = await limit.acquire(estimate(request), acquireOptions(call.signal));
      let settled = false;
      try {
        for await (const event of next()) {
          if (event.type === "start" && learn && event.rateLimit)
            await limit.observe(event.rateLimit);
          else if (event.type === "finish") {
            settled = true;
            await permit.settle(event.usage.totalTokens);
          }
          yield event;
        }
      } catch (error) {
        if (!settled) await onError(permit, isLLMError(error) ? error : undefined);
        throw error;
      }
    },
  };
}

const acquireOptions = (signal: AbortSignal | undefined) =>
  signal === undefined ? {} : { signal };
