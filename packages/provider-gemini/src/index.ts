export { convertToGeminiSchema } from "./convert-to-gemini-schema.js";
export type { GeminiRequestBody, GeminiResponse } from "./gemini-api.js";
export {
  GeminiChatClient,
  type GeminiChatClientConfig,
  type GeminiRequestDefaults,
} from "./gemini-chat-client.js";
export {
  GEMINI_MAX_INPUTS_PER_CALL,
  type GeminiEmbedContentRequest,
  GeminiEmbeddingClient,
  type GeminiEmbeddingClientConfig,
} from "./gemini-embedding-client.js";
export {
  createGemini,
  createGeminiEmbeddings,
  GEMINI_API_KEY_ENV,
  GEMINI_DEFAULT_BASE_URL,
  type GeminiProviderSettings,
  provider,
} from "./gemini-provider.js";
export {
  type GeminiToolCallMetadata,
  geminiToolCallMetadata,
  thoughtSignatureOf,
} from "./gemini-tool-call-metadata.js";
