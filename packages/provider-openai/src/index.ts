export type {
  OpenAIChatClientConfig,
  OpenAIRequestDefaults,
} from "./openai-chat-client.js";
export { OpenAIChatClient } from "./openai-chat-client.js";
export {
  createOpenAI,
  OPENAI_API_KEY_ENV,
  OPENAI_DEFAULT_BASE_URL,
  type OpenAICompatibility,
  type OpenAIProviderSettings,
  provider,
} from "./openai-provider.js";
