export { ConnectionPool, createPoolTransport } from "./connection-pool.js";
export { PoolClosedError, PoolQueueFullError, PoolTimeoutError } from "./errors.js";
export {
  type ConnectionPoolOptions,
  type DnsCacheOptions,
  POOL_DEFAULTS,
  type ProxyOptions,
} from "./options.js";
export type { OriginStats } from "./origin-state.js";
