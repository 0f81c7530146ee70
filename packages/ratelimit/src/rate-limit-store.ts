import type { GcraOperation, GcraOutcome } from "./gcra.js";

/**
 * Where budgets live. Every operation on one key is atomic; processes sharing
 * a store and a key share the budget. Time is the store's own clock (Redis's
 * `TIME` for the shared store), so processes with skewed clocks still agree.
 */
export interface RateLimitStore {
  apply(key: string, operation: GcraOperation): Promise<GcraOutcome>;
}
