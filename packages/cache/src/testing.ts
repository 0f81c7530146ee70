/**
 * `@llm/cache/testing`: the shared conformance suite for `CacheStore` drivers.
 * Imports vitest, so it is a separate entry point from the runtime package.
 */
export {
  describeCacheStore,
  type StoreConformanceOptions,
  waitUntil,
} from "./store/store-conformance.js";
