import { type CacheScope, combineCacheScopes } from "../cache-scope.js";
import type { CallOptions, LLMClient } from "../client.js";
import { AbortError, AuthenticationError, CircuitOpenError } from "../errors/errors.js";
import { isLLMError } from "../errors/llm-error.js";
import type { Middleware } from "../middleware.js";
import type { ChatRequest } from "../request.js";
import type { ChatResponse } from "../response.js";
import type { StreamEvent } from "../stream-event.js";
import { attemptStream } from "./stream-content.js";

export interface FallbackInfo {
  /** Index of the client that failed (0 = the primary). */
  from: number;
  /** Index of the client tried next. */
  to: number;
  error: unknown;
  client: LLMClient;
}

export interface FallbackOptions {
  /**
   * Which errors move on to the next client. Default: retryable errors
   * (network, timeout, 429, 5xx), `CircuitOpenError`, and
   * `AuthenticationError` — a rejected key is an outage of *that* client,
   * and the next one has its own credentials. Not by default: invalid
   * requests, context length, content filter (the same request would fail
   * anywhere) and never `AbortError` or a caller's aborted signal.
   */
  fallbackOn?: (error: unknown) => boolean;
  onFallback?: (info: FallbackInfo) => void;
  /**
   * By default a fallback client answers with ITS model: `request.model` is
   * replaced by the client's configured `model` (a `gpt-4o` request must not
   * reach Anthropic as `gpt-4o`). Set true to send `request.model` unchanged.
   */
  keepModel?: boolean;
}

export function defaultFallbackOn(error: unknown): boolean {
  if (error instanceof AbortError) return false;
  if (error instanceof CircuitOpenError || error instanceof AuthenticationError) return true;
  return isLLMError(error) && error.retryable;
}

/**
 * A client that tries `clients` in order and answers with the first success.
 * It moves on only on errors `fallbackOn` accepts, and for a stream only
 * before any content reached the consumer (the events a failed attempt
 * produced before its first content are dropped, so the consumer sees one
 * stream). When every client fails, the last error is thrown.
 * `provider` and `model` are the primary's; `cacheScope` covers every
 * member (any of them may answer), and is absent if one member has none.
 */
export function fallbackClient(clients: LLMClient[], options: FallbackOptions = {}): LLMClient {
  const primary = clients[0];
  if (!primary) throw new RangeError("fallbackClient needs at least one client");
  const fallbackOn = options.fallbackOn ?? defaultFallbackOn;

  const requestFor = (index: number, client: LLMClient, request: ChatRequest): ChatRequest => {
    if (index === 0 || options.keepModel || client.model === undefined) return request;
    return { ...request, model: client.model };
  };

  const shouldFallBack = (error: unknown, index: number, callOptions: CallOptions): boolean =>
    index < clients.length - 1 && !callOptions.signal?.aborted && fallbackOn(error);

  const notify = (index: number, error: unknown) =>
    options.onFallback?.({ from: index, to: index + 1, error, client: clients[index + 1]! });

  const cacheScope = combineCacheScopes(clients.map((client) => client.cacheScope));
  return {
    provider: primary.provider,
    ...(primary.model === undefined ? {} : { model: primary.model }),
    ...(cacheScope === undefined ? {} : { cacheScope }),
    async generate(request: ChatRequest, callOptions: CallOptions = {}): Promise<ChatResponse> {
      for (let index = 0; ; index++) {
        const client = clients[index]!;
        try {
          return await client.generate(requestFor(index, client, request), callOptions);
        } catch (error) {
          if (!shouldFallBack(error, index, callOptions)) throw error;
          notify(index, error);
        }
      }
    },
    async *stream(
      request: ChatRequest,
      callOptions: CallOptions = {},
    ): AsyncGenerator<StreamEvent> {
      for (let index = 0; ; index++) {
        const client = clients[index]!;
        const state = { content: false };
        try {
          yield* attemptStream(
            client.stream(requestFor(index, client, request), callOptions),
            state,
          );
          return;
        } catch (error) {
          if (state.content || !shouldFallBack(error, index, callOptions)) throw error;
          notify(index, error);
        }
      }
    },
  };
}

/**
 * `fallbackClient` as a middleware: the wrapped chain is the primary, then
 * `fallbacks` in order. The last argument may be `FallbackOptions`.
 */
export function fallbackMiddleware(...args: Array<LLMClient | FallbackOptions>): Middleware {
  const fallbacks: LLMClient[] = [];
  let options: FallbackOptions = {};
  for (const arg of args) {
    if (isClient(arg)) fallbacks.push(arg);
    else options = arg;
  }
  return {
    name: "fallback",
    wrapGenerate({ request, options: callOptions, client }) {
      return fallbackClient([client, ...fallbacks], options).generate(request, callOptions);
    },
    wrapStream({ request, options: callOptions, client }) {
      return fallbackClient([client, ...fallbacks], options).stream(request, callOptions);
    },
    cacheScope: (inner: CacheScope | undefined) =>
      combineCacheScopes([inner, ...fallbacks.map((client) => client.cacheScope)]),
  };
}

function isClient(value: LLMClient | FallbackOptions): value is LLMClient {
  return typeof (value as LLMClient).generate === "function";
}
