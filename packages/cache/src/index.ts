export type {
  FlightClaim,
  FlightCoordinator,
  FlightFollower,
  FlightLease,
  FollowGiveUpReason,
  FollowSignal,
} from "./coordinator/flight-coordinator.js";
export type {
  FlightFallBackReason,
  FlightOutcome,
  FlightStats,
} from "./coordinator/flight-stats.js";
export {
  MemoryFlightCoordinator,
  type MemoryFlightCoordinatorOptions,
} from "./coordinator/memory-flight-coordinator.js";
export { PrefixReconciler } from "./coordinator/prefix-reconciler.js";
export { StreamDivergedError } from "./coordinator/stream-diverged-error.js";
export {
  type CachedEmbedding,
  cachedEmbeddingProblem,
  EMBEDDING_VERSION,
  embeddingCodec,
  MAX_EMBEDDING_DIMENSIONS,
} from "./embeddings/cached-embedding.js";
export {
  type CachedEmbeddingClient,
  cachedEmbeddings,
  type EmbeddingCacheOptions,
  type EmbeddingCacheStats,
} from "./embeddings/cached-embeddings.js";
export {
  EMBEDDING_KEY_VERSION,
  type EmbeddingKeyContext,
  embeddingKeys,
} from "./embeddings/embedding-key.js";
export { canonicalJson } from "./key/canonical-json.js";
export { canonicalRequest, KEY_FORMAT_VERSION } from "./key/canonical-request.js";
export {
  type CacheScopeMode,
  type KeyScopeOptions,
  keyScope,
  MIN_SCOPE_SECRET_LENGTH,
} from "./key/key-scope.js";
export { type RequestKeyOptions, requestKey } from "./key/request-key.js";
export {
  type CacheClientOptions,
  type CacheFlightEvent,
  type CacheHitEvent,
  type CacheMiddleware,
  type CacheMiddlewareOptions,
  type CacheMissEvent,
  cacheMiddleware,
} from "./middleware/cache-middleware.js";
export {
  type CachePolicy,
  defaultCacheable,
  isDeterministic,
  type SamplingRule,
} from "./middleware/cache-policy.js";
export {
  ANSWER_VERSION,
  type CachedAnswer,
  cachedAnswerProblem,
  isCachedAnswer,
} from "./middleware/cached-answer.js";
export {
  type AnswerLimits,
  answerProblem,
  streamEventProblem,
} from "./middleware/validate-answer.js";
export {
  type CompressedJsonCodecOptions,
  compressedJsonCodec,
  DEFAULT_MAX_DECODED_BYTES,
  jsonCodec,
  type SmartCacheCodec,
} from "./smart-cache/codecs.js";
export { FrequencySketch } from "./smart-cache/frequency-sketch.js";
export { defaultSizeOf, estimateBytes } from "./smart-cache/size-of.js";
export {
  type EvictionReason,
  SmartCache,
  type SmartCacheAdaptation,
  type SmartCacheLoadOptions,
  type SmartCacheOptions,
  type SmartCachePolicy,
  type SmartCacheSetOptions,
  type SmartCacheStats,
} from "./smart-cache/smart-cache.js";
export type { LLMCacheStats } from "./stats/llm-cache-stats.js";
export { costOf, type ModelPrice, type PricingTable } from "./stats/pricing.js";
export type {
  CacheStore,
  InvalidationListener,
  StoreEntry,
  StoreInvalidation,
  StoreSetOptions,
} from "./store/cache-store.js";
export { DEFAULT_MAX_READ_BYTES, entryReadBound } from "./store/entry-read-bound.js";
export { MemoryStore, type MemoryStoreOptions } from "./store/memory-store.js";
export { CacheEntryCorruptError } from "./tiered/cache-entry-corrupt-error.js";
export type { EntryIntegrityOptions, IntegritySecret } from "./tiered/entry-integrity.js";
export { ENVELOPE_VERSION, type ValueCodec } from "./tiered/envelope.js";
export type { L1Cache } from "./tiered/l1-cache.js";
export type { GuardCounters, GuardState, StoreGuardOptions } from "./tiered/store-guard.js";
export {
  type CorruptEntryEvent,
  DEFAULT_MAX_ENTRY_BYTES,
  TieredCache,
  type TieredCacheOptions,
  type TieredCacheStats,
  type TieredHit,
  type TieredSetOptions,
} from "./tiered/tiered-cache.js";
