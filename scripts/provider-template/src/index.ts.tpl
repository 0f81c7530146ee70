export {
  __NAME___API_KEY_ENV,
  __NAME___DEFAULT_BASE_URL,
  create__Name__,
  type __Name__ProviderSettings,
  provider,
} from "./__name__-provider.js";
export { __Name__ChatClient, type __Name__ChatClientConfig } from "./__name__-chat-client.js";
export type { __Name__RequestBody } from "./__name__-api.js";
