// The default of `maxEntryBytes`, shared by the L2 stores.
export { DEFAULT_MAX_READ_BYTES } from "@llm/cache";
export type { RedisSentinelOptions } from "@llm/redis-connection";
export type { StoreState, StoreStateChange } from "./connection-state.js";
export { FlightEntryCorruptError } from "./flight-error.js";
export {
  type FlightCoordinatorStats,
  RedisFlightCoordinator,
  type RedisFlightCoordinatorOptions,
} from "./redis-flight-coordinator.js";
export {
  namespaceKeyPrefix,
  RedisStore,
  type RedisStoreOptions,
} from "./redis-store.js";
export { RedisStoreError } from "./redis-store-error.js";
