export type { BedrockRequestBody } from "./bedrock-api.js";
export { BedrockChatClient, type BedrockChatClientConfig } from "./bedrock-chat-client.js";
export {
  BEDROCK_API_KEY_ENV,
  BEDROCK_DEFAULT_BASE_URL,
  type BedrockProviderSettings,
  createBedrock,
  provider,
} from "./bedrock-provider.js";
