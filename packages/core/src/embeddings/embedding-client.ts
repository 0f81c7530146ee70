import type { CacheScope } from "../cache-scope.js";
import type { CallOptions } from "../client.js";
import type { JsonValue } from "../json.js";

/** One batch of texts to embed, within the client's `maxInputsPerCall`. */
export interface EmbeddingRequest {
  /** The client's `model` when absent. */
  model?: string;
  /** The texts, in order; the answer has one vector per text, in the same order. */
  inputs: readonly string[];
  /** Output size, for models that can shorten their vectors (OpenAI `dimensions`, Gemini `outputDimensionality`, Ollama `dimensions`). */
  dimensions?: number;
  /** Extra wire fields per provider key, as on `ChatRequest` (e.g. `{ gemini: { taskType: "RETRIEVAL_QUERY" } }`). */
  providerOptions?: Record<string, Record<string, JsonValue>>;
}

export interface EmbeddingUsage {
  /** Tokens the provider counted for the inputs; 0 when it does not report them (Gemini). */
  inputTokens: number;
}

export interface EmbeddingResponse {
  provider: string;
  /** The model that answered (as the provider names it). */
  model: string;
  /** One vector per input, in input order. Float32, the precision every provider computes in. */
  embeddings: Float32Array[];
  /** Tokens spent upstream; vectors served from a cache cost none. */
  usage: EmbeddingUsage;
  /** How many of `embeddings` came from a cache rather than the provider. */
  cached?: number;
  requestId?: string;
}

/** Batch settings a provider's embeddings factory accepts besides its usual settings. */
export interface EmbeddingClientSettings {
  /** Lower the provider's per-request input limit (e.g. to keep answers within `limits.maxBodyBytes`). */
  maxInputsPerCall?: number;
  /** Batches `embedMany` keeps in flight by default. */
  maxParallelCalls?: number;
}

/**
 * Turns texts into vectors. A contract of its own next to `LLMClient`, not
 * optional methods on it: a chat client is wrapped by middleware (`compose`,
 * retry, fallback, cache) that knows only `generate`/`stream`, and would drop
 * an optional `embed` on the way — or, worse, send it around the cache. Two
 * contracts keep "this client can embed" a type the compiler checks: a
 * provider offers both through `ProviderDefinition.createEmbeddings`, and a
 * caller who needs vectors asks for an `EmbeddingClient`.
 */
export interface EmbeddingClient {
  /** Provider type, e.g. `"openai"`. */
  readonly provider: string;
  /** The model used when a request names none. */
  readonly model?: string;
  /** Who answers, for caches — the same scope the provider's chat client reports. */
  readonly cacheScope?: CacheScope;
  /** Most inputs one `embedBatch` call takes: the provider's per-request limit. */
  readonly maxInputsPerCall: number;
  /** How many batches `embedMany` keeps in flight unless told otherwise. */
  readonly maxParallelCalls?: number;
  /**
   * Embeds one batch (at most `maxInputsPerCall` inputs) in one upstream call.
   * Use `embedMany` for any number of texts.
   */
  embedBatch(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse>;
}
