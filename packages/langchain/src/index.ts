export { hashedKey, joinPromptAndLLMString } from "./cache/cache-key.js";
export {
  type CreateLangChainCacheOptions,
  createLangChainCache,
} from "./cache/create-langchain-cache.js";
export {
  DEFAULT_MAX_GENERATION_BYTES,
  LLMKitCache,
  type LLMKitCacheOptions,
  type LLMKitCacheStats,
} from "./cache/llm-kit-cache.js";
export {
  type GenerationLimits,
  STORED_GENERATIONS_VERSION,
  type StoredAIMessage,
  type StoredGeneration,
  type StoredGenerations,
  type StoredToolCall,
  storedGenerationsProblem,
} from "./cache/stored-generations.js";
export type { ClientChoice, LLMClientSource } from "./chat/client-source.js";
export {
  LLMKitChatModel,
  type LLMKitChatModelCallOptions,
  type LLMKitChatModelFields,
  type LLMKitRequestParams,
} from "./chat/llm-kit-chat-model.js";
export type { OutputSchema } from "./chat/structured-output.js";
