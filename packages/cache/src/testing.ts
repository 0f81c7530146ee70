/**
 * `@llm/cache/testing`: the shared conformance suite for `CacheStore` drivers,
 * and sample answers — valid and poisoned — for tests of the read path.
 * Imports vitest, so it is a separate entry point from the runtime package.
 */
export {
  fullResponse,
  fullStream,
  poisonedAnswers,
  responseAnswer,
  streamAnswer,
} from "./middleware/answer-samples.js";
export {
  describeCacheStore,
  type StoreConformanceOptions,
  waitUntil,
} from "./store/store-conformance.js";
