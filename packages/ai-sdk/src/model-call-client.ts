import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
} from "@ai-sdk/provider";
import type { CallOptions, ChatResponse, LLMClient, StreamEvent } from "@llm/core";
import { toLlmKitError } from "./convert/ai-sdk-error.js";
import { fromGenerateResult, fromStreamParts } from "./convert/from-ai-sdk-result.js";

/**
 * One AI SDK call seen as an llm-kit `LLMClient`, so that llm-kit's
 * middlewares (cache, retry, timeout, fallback, circuit breaker) can run
 * around it unchanged.
 *
 * The request those middlewares pass down is not re-converted: the AI SDK
 * call itself (`params`) is what goes upstream, every time, with the
 * middlewares' signal (a timeout, a single-flight shared by several callers)
 * in place of the caller's. A fallback client's request carries the fallback
 * model's name only, and each model answers with its own.
 */
export function modelCallClient(
  model: LanguageModelV3,
  params: LanguageModelV3CallOptions,
  onResult?: (result: LanguageModelV3GenerateResult) => void,
): LLMClient {
  const identity = { provider: model.provider, modelId: model.modelId };
  const call = (options: CallOptions | undefined): LanguageModelV3CallOptions => {
    const { abortSignal: _callerSignal, ...rest } = params;
    return options?.signal === undefined ? rest : { ...rest, abortSignal: options.signal };
  };
  return {
    provider: model.provider,
    model: model.modelId,
    async generate(_request, options): Promise<ChatResponse> {
      try {
        const result = await model.doGenerate(call(options));
        onResult?.(result);
        return fromGenerateResult(result, identity);
      } catch (error) {
        throw toLlmKitError(error, model.provider);
      }
    },
    async *stream(_request, options): AsyncGenerator<StreamEvent> {
      let result: Awaited<ReturnType<LanguageModelV3["doStream"]>>;
      try {
        result = await model.doStream(call(options));
      } catch (error) {
        throw toLlmKitError(error, model.provider);
      }
      yield* fromStreamParts(result.stream, identity);
    },
  };
}
