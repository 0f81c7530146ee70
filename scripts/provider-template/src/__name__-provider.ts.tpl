import {
  defaultTransport,
  normalizeBaseURL,
  type ProviderDefinition,
  type ProviderSettings,
  readAPIKey,
} from "@llm/core";
import { __Name__ChatClient } from "./__name__-chat-client.js";

// TODO: the real endpoint of the __Name__ API.
export const __NAME___DEFAULT_BASE_URL = "https://api.__name__.example/v1";

/** Environment variables read for the key, in this order. */
export const __NAME___API_KEY_ENV = ["__NAME___API_KEY"] as const;

export type __Name__ProviderSettings = ProviderSettings;

/**
 * Creates a __Name__ client. The key comes from `settings.apiKey`, else
 * `__NAME___API_KEY`; none is an `AuthenticationError` naming the variable,
 * thrown here (not at the first call). A bad `baseURL` is a `ConfigError`.
 */
export function create__Name__(settings: __Name__ProviderSettings = {}): __Name__ChatClient {
  const baseURL = normalizeBaseURL("__name__", settings.baseURL ?? __NAME___DEFAULT_BASE_URL);
  const apiKey = readAPIKey({
    provider: "__name__",
    apiKey: settings.apiKey,
    env: settings.env,
    envNames: __NAME___API_KEY_ENV,
  });
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  for (const [name, value] of Object.entries(settings.headers ?? {})) headers[name.toLowerCase()] = value;
  return new __Name__ChatClient({
    ...(settings.model === undefined ? {} : { model: settings.model }),
    url: `${baseURL}/chat/completions`,
    headers,
    transport: settings.transport ?? defaultTransport(),
    ...(settings.limits === undefined ? {} : { limits: settings.limits }),
  });
}

/** Registers __Name__ with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<__Name__ProviderSettings> = {
  type: "__name__",
  packageName: "@llm/provider-__name__",
  apiKeyEnv: __NAME___API_KEY_ENV,
  create: create__Name__,
};
