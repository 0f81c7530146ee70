import {
  createFetchTransport,
  defaultTransport,
  joinURL,
  normalizeBaseURL,
  type ProviderDefinition,
  type ProviderSettings,
  readAPIKey,
  readRequestDefaults,
} from "@llm/core";
import { AnthropicChatClient, type AnthropicChatClientConfig } from "./anthropic-chat-client.js";

export const ANTHROPIC_API_KEY_ENV = "ANTHROPIC_API_KEY";
export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";
/** The API version this package speaks (sent as `anthropic-version`). */
export const ANTHROPIC_VERSION = "2023-06-01";

export interface AnthropicProviderSettings extends ProviderSettings {
  /** A custom `fetch` for the default transport (ignored when `transport` is given). */
  fetch?: typeof fetch;
}

const PROVIDER = "anthropic";

/**
 * Creates an Anthropic Messages API client.
 *
 * Resolved once, here: the API key (`apiKey`, else `ANTHROPIC_API_KEY` —
 * missing → `AuthenticationError` naming the variable, thrown now rather
 * than at the first call), the `baseURL` (`baseURL`, else
 * `ANTHROPIC_BASE_URL`, else https://api.anthropic.com; `/v1/messages` is
 * appended, as the official SDK does — invalid → `ConfigError`), the static
 * headers and the transport.
 */
export function createAnthropic(settings: AnthropicProviderSettings = {}): AnthropicChatClient {
  const env = settings.env ?? process.env;
  const baseURL = normalizeBaseURL(
    PROVIDER,
    settings.baseURL ?? env.ANTHROPIC_BASE_URL ?? ANTHROPIC_DEFAULT_BASE_URL,
  );
  const apiKey = readAPIKey({
    provider: PROVIDER,
    apiKey: settings.apiKey,
    env,
    envNames: [ANTHROPIC_API_KEY_ENV],
  });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-api-key": apiKey,
    "anthropic-version": ANTHROPIC_VERSION,
  };
  if (settings.headers) {
    for (const [key, value] of Object.entries(settings.headers)) headers[key.toLowerCase()] = value;
  }
  const config: AnthropicChatClientConfig = {
    url: joinURL(baseURL, "v1/messages"),
    headers,
    transport:
      settings.transport ??
      (settings.fetch ? createFetchTransport({ fetch: settings.fetch }) : defaultTransport()),
  };
  if (settings.model !== undefined) config.model = settings.model;
  if (settings.limits !== undefined) config.limits = settings.limits;
  if (settings.defaults !== undefined)
    config.defaults = readRequestDefaults(PROVIDER, settings.defaults, DEFAULT_KEYS);
  return new AnthropicChatClient(config);
}

/** The `settings.defaults` keys the Messages API has a field for, in message order. */
const DEFAULT_KEYS = ["temperature", "topP", "topK", "maxTokens", "stop"] as const;

/** Registers with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<AnthropicProviderSettings> = {
  type: PROVIDER,
  packageName: "@llm/provider-anthropic",
  apiKeyEnv: [ANTHROPIC_API_KEY_ENV],
  create: createAnthropic,
};
