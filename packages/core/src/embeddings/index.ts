export {
  DEFAULT_EMBED_PARALLEL_CALLS,
  type EmbedManyOptions,
  type EmbedManyResult,
  type EmbedOptions,
  type EmbedResult,
  embed,
  embedMany,
} from "./embed-many.js";
export {
  type CheckedEmbeddingBatch,
  checkEmbeddingBatch,
  checkEmbeddingVectors,
} from "./embedding-batch.js";
export type {
  EmbeddingClient,
  EmbeddingClientSettings,
  EmbeddingRequest,
  EmbeddingResponse,
  EmbeddingUsage,
} from "./embedding-client.js";
export { float32FromBase64, float32FromNumbers, float32ToBase64 } from "./float32.js";
