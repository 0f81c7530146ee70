export type { RedisSentinelOptions } from "@llm/redis-connection";
export type { StoreState, StoreStateChange } from "./connection-state.js";
export { FlightEntryCorruptError } from "./flight-error.js";
export {
  type FlightCoordinatorStats,
  RedisFlightCoordinator,
  type RedisFlightCoordinatorOptions,
} from "./redis-flight-coordinator.js";
export {
  DEFAULT_MAX_READ_BYTES,
  namespaceKeyPrefix,
  RedisStore,
  type RedisStoreOptions,
} from "./redis-store.js";
export { RedisStoreError } from "./redis-store-error.js";
