export type { StoreState, StoreStateChange } from "./connection-state.js";
export { namespaceKeyPrefix, RedisStore, type RedisStoreOptions } from "./redis-store.js";
