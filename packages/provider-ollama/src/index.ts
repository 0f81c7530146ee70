export type { OllamaChatRequestBody, OllamaChatResponse } from "./ollama-api.js";
export {
  OllamaChatClient,
  type OllamaChatClientConfig,
  type OllamaRequestDefaults,
} from "./ollama-chat-client.js";
export {
  OLLAMA_MAX_INPUTS_PER_CALL,
  OllamaEmbeddingClient,
  type OllamaEmbeddingClientConfig,
  type OllamaEmbedRequestBody,
} from "./ollama-embedding-client.js";
export {
  createOllama,
  createOllamaEmbeddings,
  OLLAMA_API_KEY_ENV,
  OLLAMA_DEFAULT_BASE_URL,
  type OllamaProviderSettings,
  provider,
} from "./ollama-provider.js";
