import type { CacheScope } from "./cache-scope.js";
import type { CallOptions, LLMClient } from "./client.js";
import type { ChatRequest } from "./request.js";
import type { ChatResponse } from "./response.js";
import type { StreamEvent } from "./stream-event.js";

export interface GenerateContext {
  request: ChatRequest;
  options: CallOptions;
  /** The client this middleware wraps (the rest of the chain). */
  client: LLMClient;
  /** Calls the rest of the chain, optionally with a changed request or options. */
  next(request?: ChatRequest, options?: CallOptions): Promise<ChatResponse>;
}

export interface StreamContext {
  request: ChatRequest;
  options: CallOptions;
  client: LLMClient;
  next(request?: ChatRequest, options?: CallOptions): AsyncIterable<StreamEvent>;
}

/**
 * A middleware wraps `generate` and `stream`; every member is optional.
 * `transformRequest` runs before `wrapGenerate` / `wrapStream` of the same
 * middleware.
 */
export interface Middleware {
  /** Shown in errors and traces. */
  readonly name?: string;
  transformRequest?(request: ChatRequest, options: CallOptions): ChatRequest | Promise<ChatRequest>;
  wrapGenerate?(context: GenerateContext): Promise<ChatResponse>;
  wrapStream?(context: StreamContext): AsyncIterable<StreamEvent>;
  /**
   * The cache scope of the wrapped client as seen from outside, for a
   * middleware that may send calls elsewhere (a fallback). Default: the
   * inner client's scope, unchanged. Called once per composition.
   */
  cacheScope?(inner: CacheScope | undefined): CacheScope | undefined;
}
