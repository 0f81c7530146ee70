export {
  type AzureADTokenProvider,
  MAX_AZURE_AD_TOKEN_BYTES,
  withAzureADToken,
} from "./azure-ad-token-transport.js";
export type {
  AzureChatResponse,
  AzureContentFilterResults,
  AzureErrorObject,
  AzureFilterVerdict,
} from "./azure-openai-api.js";
export { type AzureOpenAIConfigSettings, configSettings } from "./azure-openai-config-settings.js";
export { AzureContentFilterError, azureOpenAIErrorFromResponse } from "./azure-openai-error.js";
export {
  AZURE_OPENAI_API_KEY_ENV,
  type AzureOpenAIChatClient,
  type AzureOpenAIProviderSettings,
  createAzureOpenAI,
  createAzureOpenAIEmbeddings,
  provider,
} from "./azure-openai-provider.js";
export { AZURE_OPENAI_DEFAULT_API_VERSION, type AzureOpenAISurface } from "./azure-openai-url.js";
