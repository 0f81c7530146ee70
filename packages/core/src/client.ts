import type { CacheScope } from "./cache-scope.js";
import type { ChatRequest } from "./request.js";
import type { ChatResponse } from "./response.js";
import type { StreamEvent } from "./stream-event.js";

/** Per-call options. None of these is part of a cache key. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Whole-call deadline in ms (for a stream: until the last event). */
  timeoutMs?: number;
  /** Deadline for the first byte of the response headers / first stream event. */
  firstTokenTimeoutMs?: number;
  /** Longest gap allowed between two stream chunks. */
  idleTimeoutMs?: number;
  /** Extra HTTP headers for this call. */
  headers?: Record<string, string>;
  /** Per-call labels for hooks, logs and tracing. */
  metadata?: Record<string, unknown>;
}

/**
 * The one contract every provider, cache and middleware speaks.
 *
 * `stream` ends after a `finish` event, or throws an `LLMError` from the
 * iterator. Breaking out of the loop aborts the underlying request.
 */
export interface LLMClient {
  /** Provider type, e.g. `"openai"`; a composed client reports its innermost provider. */
  readonly provider: string;
  /** The model used when a request names none. */
  readonly model?: string;
  /**
   * Who answers, for response caches (see `CacheScope`): filled by every
   * provider client, carried by `compose`, combined by fallback clients.
   * Absent on a client that cannot say; a cache then keys on `provider` and
   * `model` only.
   */
  readonly cacheScope?: CacheScope;
  generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse>;
  stream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamEvent>;
}
