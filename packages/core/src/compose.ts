import type { CallOptions, LLMClient } from "./client.js";
import type { Middleware } from "./middleware.js";
import type { ChatRequest } from "./request.js";
import type { ChatResponse } from "./response.js";
import type { StreamEvent } from "./stream-event.js";

const NO_OPTIONS: CallOptions = Object.freeze({});

/**
 * Wraps `client` in middlewares. **The first middleware in the list is the
 * outermost: it sees the request first and the response last.**
 *
 * `compose(provider, hooks, cache, retry)` therefore runs hooks → cache →
 * retry → provider, so a cache hit costs no retry bookkeeping and hooks see
 * every call, hit or miss.
 */
export function compose(client: LLMClient, ...middlewares: Middleware[]): LLMClient {
  let wrapped = client;
  for (let i = middlewares.length - 1; i >= 0; i--) {
    wrapped = wrap(wrapped, middlewares[i]!);
  }
  return wrapped;
}

function wrap(inner: LLMClient, middleware: Middleware): LLMClient {
  const { transformRequest, wrapGenerate, wrapStream } = middleware;
  if (!transformRequest && !wrapGenerate && !wrapStream && !middleware.cacheScope) return inner;

  const generate = async (request: ChatRequest, options: CallOptions = NO_OPTIONS) => {
    const req = transformRequest
      ? await transformRequest.call(middleware, request, options)
      : request;
    if (!wrapGenerate) return inner.generate(req, options);
    return wrapGenerate.call(middleware, {
      request: req,
      options,
      client: inner,
      next: (r = req, o = options) => inner.generate(r, o),
    });
  };

  const stream = (
    request: ChatRequest,
    options: CallOptions = NO_OPTIONS,
  ): AsyncIterable<StreamEvent> => {
    if (!transformRequest) return streamWith(request, options);
    return {
      async *[Symbol.asyncIterator]() {
        const req = await transformRequest.call(middleware, request, options);
        yield* streamWith(req, options);
      },
    };
  };

  const streamWith = (req: ChatRequest, options: CallOptions): AsyncIterable<StreamEvent> => {
    if (!wrapStream) return inner.stream(req, options);
    return wrapStream.call(middleware, {
      request: req,
      options,
      client: inner,
      next: (r = req, o = options) => inner.stream(r, o),
    });
  };

  const cacheScope = middleware.cacheScope
    ? middleware.cacheScope.call(middleware, inner.cacheScope)
    : inner.cacheScope;
  return {
    provider: inner.provider,
    ...(inner.model === undefined ? {} : { model: inner.model }),
    ...(cacheScope === undefined ? {} : { cacheScope }),
    generate: generate as (request: ChatRequest, options?: CallOptions) => Promise<ChatResponse>,
    stream,
  };
}
