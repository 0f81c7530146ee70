export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitPermit,
  type CircuitState,
  type CircuitStats,
  circuitBreakerMiddleware,
} from "./circuit-breaker.js";
export {
  defaultFallbackOn,
  type FallbackInfo,
  type FallbackOptions,
  fallbackClient,
  fallbackMiddleware,
} from "./fallback.js";
export {
  type EmbeddingResilienceOptions,
  withEmbeddingResilience,
} from "./resilient-embeddings.js";
export { type RetryInfo, type RetryOptions, retryMiddleware } from "./retry.js";
export { type SettleWithinOptions, settleWithin } from "./settle-within.js";
export { abortableSleep } from "./sleep.js";
export { attemptStream, catchStreamErrors, isContentEvent, toLLMError } from "./stream-content.js";
export { type TimeoutOptions, timeoutMiddleware } from "./timeout.js";
