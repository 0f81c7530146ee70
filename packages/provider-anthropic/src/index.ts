export {
  AnthropicChatClient,
  type AnthropicChatClientConfig,
  type AnthropicRequestDefaults,
  DEFAULT_MAX_TOKENS,
  JSON_TOOL_NAME,
} from "./anthropic-chat-client.js";
export {
  ANTHROPIC_API_KEY_ENV,
  ANTHROPIC_DEFAULT_BASE_URL,
  ANTHROPIC_VERSION,
  type AnthropicProviderSettings,
  createAnthropic,
  provider,
} from "./anthropic-provider.js";
