export type {
  LLMKitLanguageModelMiddleware,
  MiddlewareCall,
  ReplayedContent,
  ReplayedFinishReason,
  ReplayedGenerateResult,
  ReplayedMetadata,
  ReplayedStreamPart,
  ReplayedUsage,
} from "./ai-sdk-spec.js";
export { type LLMKitLanguageModelOptions, llmKitLanguageModel } from "./llm-kit-language-model.js";
export { type LLMKitMiddlewareOptions, llmKitMiddleware } from "./llm-kit-middleware.js";
export {
  createLLMKitProvider,
  type LLMKitProvider,
  type LLMKitProviderOptions,
  type NamedClients,
} from "./llm-kit-provider.js";
