export type { StoreState, StoreStateChange } from "./connection-state.js";
export { RedisStore, type RedisStoreOptions } from "./redis-store.js";
