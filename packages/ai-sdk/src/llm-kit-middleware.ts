import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
} from "@ai-sdk/provider";
import type { CacheMiddleware } from "@llm/cache";
import {
  type CacheScope,
  type ChatRequest,
  compose,
  type FallbackOptions,
  fallbackClient,
  type LLMClient,
  type Middleware,
  type RetryOptions,
  retryMiddleware,
  type TimeoutOptions,
  timeoutMiddleware,
} from "@llm/core";
import type {
  LLMKitLanguageModelMiddleware,
  MiddlewareCall,
  ReplayedGenerateResult,
  ReplayedStreamPart,
} from "./ai-sdk-spec.js";
import { callOptionsOf } from "./call-settings.js";
import { toAiSdkError } from "./convert/ai-sdk-error.js";
import { toGenerateResult } from "./convert/to-ai-sdk-result.js";
import { toChatRequest } from "./convert/to-chat-request.js";
import { toStreamParts } from "./convert/to-stream-parts.js";
import { modelCallClient } from "./model-call-client.js";

export interface LLMKitMiddlewareOptions {
  /**
   * An `@llm/cache` `cacheMiddleware(...)`: its cache, key rules (canonical
   * request + who answers + namespace), sampling policy, single-flight and
   * statistics. The same one may serve llm-kit clients too.
   */
  cache?: CacheMiddleware;
  /**
   * Who answers, for the cache key (see `CacheScope` in `@llm/core`; build
   * one with `providerCacheScope({ provider, baseURL, headers })`). Without
   * it, keys hold the model's `provider` and `modelId` only, so two
   * accounts or endpoints serving the same model id share answers, and a
   * cache with `scope: "credential"` caches nothing.
   */
  cacheScope?: CacheScope;
  /** Retries of each model (`retryMiddleware`); set the AI SDK's `maxRetries: 0` then. */
  retry?: RetryOptions;
  /** Deadlines of each model's calls (`timeoutMiddleware`). */
  timeout?: TimeoutOptions;
  /** Models tried in order when the wrapped one fails (each with its own retries and deadlines). */
  fallbacks?: LanguageModelV3[];
  /** Which errors move on to the next model, and a callback when one does. */
  fallback?: Omit<FallbackOptions, "keepModel">;
}

/**
 * An AI SDK language-model middleware (`wrapLanguageModel`) that runs
 * llm-kit's cache, retry, timeout and fallback around any AI SDK model, in
 * the order an `@llm/di` client runs them:
 *
 *   cache → fallback( [retry → timeout → model] per model … )
 *
 * The cache answers before any retry bookkeeping; a cached answer is
 * replayed as a stream to `streamText`; concurrent identical calls share one
 * upstream call. The call is keyed exactly as `cacheMiddleware` keys an
 * llm-kit request: the AI SDK call is converted to a `ChatRequest` first.
 *
 * Per call, `providerOptions.llmKit` takes `{ cache: "refresh" | "bypass" | false,
 * timeoutMs }` (never sent upstream, never in the key).
 */
export function llmKitMiddleware(
  options: LLMKitMiddlewareOptions = {},
): LLMKitLanguageModelMiddleware {
  const perModel: Middleware[] = [];
  if (options.retry !== undefined) perModel.push(retryMiddleware(options.retry));
  // Always present: a per-call `providerOptions.llmKit.timeoutMs` needs it even without defaults.
  perModel.push(timeoutMiddleware(options.timeout ?? {}));
  const fallbacks = options.fallbacks ?? [];

  /** The chain for one call, and the raw result of the model that answered it, if any did. */
  const chainFor = (
    model: LanguageModelV3,
    params: LanguageModelV3CallOptions,
    cached: boolean,
  ) => {
    const answered: { result?: LanguageModelV3GenerateResult } = {};
    const keep = (result: LanguageModelV3GenerateResult) => {
      answered.result = result;
    };
    const attempts = [model, ...fallbacks].map((each) =>
      compose(modelCallClient(each, params, keep), ...perModel),
    );
    let upstream: LLMClient =
      attempts.length === 1 ? attempts[0]! : fallbackClient(attempts, options.fallback ?? {});
    // The scope the user gave describes every model behind this middleware.
    upstream = { ...upstream, ...(options.cacheScope ? { cacheScope: options.cacheScope } : {}) };
    const client = cached && options.cache ? compose(upstream, options.cache) : upstream;
    return { client, answered };
  };

  /** The llm-kit request (for the key) and call options of an AI SDK call. */
  const prepare = (params: LanguageModelV3CallOptions) => {
    const converted = toChatRequest(params);
    const callOptions = callOptionsOf(params);
    // A call llm-kit cannot express fully is still resilient, just never cached.
    const request: ChatRequest = converted.ok ? converted.request : { messages: [] };
    return { request, callOptions, cached: converted.ok };
  };

  return {
    specificationVersion: "v3",

    async wrapGenerate(call: MiddlewareCall): Promise<ReplayedGenerateResult> {
      const { params, model } = asSpecCall(call);
      const { request, callOptions, cached } = prepare(params);
      const { client, answered } = chainFor(model, params, cached);
      try {
        const response = await client.generate(request, callOptions);
        const converted = toGenerateResult(response);
        // This caller's own upstream call: give back the model's whole result
        // (warnings, provider metadata, headers), with llm-kit's metadata added.
        if (response.origin.type === "upstream" && answered.result !== undefined) {
          const own = {
            ...answered.result,
            providerMetadata: {
              ...answered.result.providerMetadata,
              ...converted.providerMetadata,
            },
          };
          // The model's own result, of the spec version the AI SDK called it with,
          // goes back to that same AI SDK unchanged: its type is the AI SDK's, not ours.
          return own as unknown as ReplayedGenerateResult;
        }
        return converted;
      } catch (error) {
        throw toAiSdkError(error);
      }
    },

    async wrapStream(
      call: MiddlewareCall,
    ): Promise<{ stream: ReadableStream<ReplayedStreamPart> }> {
      const { params, model } = asSpecCall(call);
      // Raw chunks cannot be recorded or replayed: such a call goes straight through,
      // its parts (of the AI SDK's own spec version) unchanged.
      if (params.includeRawChunks) {
        return (await call.doStream()) as { stream: ReadableStream<ReplayedStreamPart> };
      }
      const { request, callOptions, cached } = prepare(params);
      const { client } = chainFor(model, params, cached);
      return { stream: toStreamParts(client.stream(request, callOptions), toAiSdkError) };
    },
  };
}

/**
 * The call as spec v3 types it. An AI SDK 7 call is spec v4, which differs
 * only in how file data is written: the converters read both forms, and the
 * model is handed back the very call it was made for.
 */
function asSpecCall(call: MiddlewareCall): {
  params: LanguageModelV3CallOptions;
  model: LanguageModelV3;
} {
  return call as unknown as { params: LanguageModelV3CallOptions; model: LanguageModelV3 };
}
