export { estimateRequestTokens } from "./estimate-tokens.js";
export {
  applyGcra,
  type DimensionUnits,
  emissionMs,
  type GcraOperation,
  type GcraOutcome,
  type Rate,
} from "./gcra.js";
export {
  MemoryRateLimitStore,
  type MemoryRateLimitStoreOptions,
} from "./memory-rate-limit-store.js";
export {
  type AcquireOptions,
  RateLimit,
  type RateLimitOptions,
  type RateLimitPermit,
} from "./rate-limit.js";
export { type BudgetRefusal, RateLimitBudgetError } from "./rate-limit-errors.js";
export { type RateLimitMiddlewareOptions, rateLimitMiddleware } from "./rate-limit-middleware.js";
export type { RateLimitStore } from "./rate-limit-store.js";
