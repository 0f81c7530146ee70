export type { OpenAIChatChunk, OpenAIChatResponse, OpenAIErrorObject } from "./openai-api.js";
export type {
  OpenAIChatClientConfig,
  OpenAIRequestDefaults,
} from "./openai-chat-client.js";
export { OpenAIChatClient } from "./openai-chat-client.js";
export {
  configSettings,
  OPENAI_COMPATIBILITY_SCHEMA,
  type OpenAIConfigSettings,
} from "./openai-config-settings.js";
export {
  OPENAI_MAX_INPUTS_PER_CALL,
  OpenAIEmbeddingClient,
  type OpenAIEmbeddingClientConfig,
  type OpenAIEmbeddingRequestBody,
} from "./openai-embedding-client.js";
export { openAIErrorFromResponse } from "./openai-error.js";
export {
  createOpenAI,
  createOpenAIEmbeddings,
  OPENAI_API_KEY_ENV,
  OPENAI_DEFAULT_BASE_URL,
  type OpenAICompatibility,
  type OpenAIProviderSettings,
  provider,
} from "./openai-provider.js";
export type { OpenAIStreamMetadataReader } from "./openai-stream-events.js";
