/** `@llm/ratelimit/redis`: budgets shared through Redis (needs `ioredis`). */
export { RedisRateLimitStore, type RedisRateLimitStoreOptions } from "./redis-rate-limit-store.js";
export { GCRA_SCRIPT } from "./redis-script.js";
