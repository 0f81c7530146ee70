export {
  BedrockChatClient,
  type BedrockChatClientConfig,
  type BedrockRequestDefaults,
  JSON_TOOL_NAME,
  parseConverseResponse,
} from "./bedrock-chat-client.js";
export { type BedrockConfigSettings, configSettings } from "./bedrock-config-settings.js";
export type {
  BedrockCredentialProvider,
  BedrockCredentials,
} from "./bedrock-credentials.js";
export {
  BEDROCK_DEFAULT_EMBEDDING_MODEL,
  BedrockEmbeddingClient,
  type BedrockEmbeddingClientConfig,
  type TitanEmbeddingRequestBody,
} from "./bedrock-embedding-client.js";
export { type BedrockEventFrame, bedrockEventStream } from "./bedrock-event-stream.js";
export {
  BEDROCK_API_KEY_ENV,
  BEDROCK_ENDPOINT_ENV,
  BEDROCK_REGION_ENV,
  type BedrockProviderSettings,
  bedrockEndpoint,
  createBedrock,
  createBedrockEmbeddings,
  provider,
} from "./bedrock-provider.js";
