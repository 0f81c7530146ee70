export type { MistralErrorBody } from "./mistral-api.js";
export {
  MistralChatClient,
  type MistralChatClientConfig,
  type MistralRequestDefaults,
} from "./mistral-chat-client.js";
export { configSettings, type MistralConfigSettings } from "./mistral-config-settings.js";
export {
  MISTRAL_MAX_INPUTS_PER_CALL,
  MistralEmbeddingClient,
  type MistralEmbeddingClientConfig,
  type MistralEmbeddingRequestBody,
} from "./mistral-embedding-client.js";
export { mistralErrorFromResponse } from "./mistral-error.js";
export {
  createMistral,
  createMistralEmbeddings,
  MISTRAL_API_KEY_ENV,
  MISTRAL_DEFAULT_BASE_URL,
  type MistralProviderSettings,
  provider,
} from "./mistral-provider.js";
export { readMistralRateLimitHeaders } from "./read-mistral-rate-limit-headers.js";
