export type { StoreState, StoreStateChange } from "./connection-state.js";
export { namespaceKeyPrefix, RedisStore, type RedisStoreOptions } from "./redis-store.js";
export { RedisStoreError } from "./redis-store-error.js";
export type { RedisSentinelOptions } from "./sentinel-options.js";
