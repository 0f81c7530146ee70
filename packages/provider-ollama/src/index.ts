export type { OllamaChatRequestBody, OllamaChatResponse } from "./ollama-api.js";
export {
  OllamaChatClient,
  type OllamaChatClientConfig,
  type OllamaRequestDefaults,
} from "./ollama-chat-client.js";
export {
  createOllama,
  OLLAMA_API_KEY_ENV,
  OLLAMA_DEFAULT_BASE_URL,
  type OllamaProviderSettings,
  provider,
} from "./ollama-provider.js";
