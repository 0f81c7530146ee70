import { RateLimitError } from "@llm/core";

/** Why a budget refused a call. */
export type BudgetRefusal =
  /** The call would have had to wait longer than `maxWaitMs`. */
  | "wait"
  /** `maxQueue` calls of this process are already waiting for this budget. */
  | "queue-full"
  /** The call alone costs more than the budget holds in a whole period: it can never run. */
  | "exceeds-capacity";

/**
 * Our own budget said no, before anything was sent. A `RateLimitError`, so
 * retry and fallback treat it like a provider's 429 (`retryAfterMs` is when the
 * budget would allow it), except `"exceeds-capacity"`, which is not retryable.
 */
export class RateLimitBudgetError extends RateLimitError {
  override readonly code: string = "RATE_LIMIT_BUDGET";
  /** The budget's key (a name, never a credential). */
  readonly budget: string;
  readonly reason: BudgetRefusal;

  constructor(
    budget: string,
    reason: BudgetRefusal,
    retryAfterMs: number | undefined,
    detail: string,
  ) {
    super(`Rate-limit budget "${budget}": ${detail}`, {
      retryable: reason !== "exceeds-capacity",
      ...(retryAfterMs === undefined ? {} : { retryAfterMs: Math.ceil(retryAfterMs) }),
    });
    this.budget = budget;
    this.reason = reason;
  }
}
