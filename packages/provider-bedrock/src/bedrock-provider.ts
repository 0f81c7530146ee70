import {
  defaultTransport,
  normalizeBaseURL,
  type ProviderDefinition,
  type ProviderSettings,
  readAPIKey,
} from "@llm/core";
import { BedrockChatClient } from "./bedrock-chat-client.js";

// TODO: the real endpoint of the Bedrock API.
export const BEDROCK_DEFAULT_BASE_URL = "https://api.bedrock.example/v1";

/** Environment variables read for the key, in this order. */
export const BEDROCK_API_KEY_ENV = ["BEDROCK_API_KEY"] as const;

export type BedrockProviderSettings = ProviderSettings;

/**
 * Creates a Bedrock client. The key comes from `settings.apiKey`, else
 * `BEDROCK_API_KEY`; none is an `AuthenticationError` naming the variable,
 * thrown here (not at the first call). A bad `baseURL` is a `ConfigError`.
 */
export function createBedrock(settings: BedrockProviderSettings = {}): BedrockChatClient {
  const baseURL = normalizeBaseURL("bedrock", settings.baseURL ?? BEDROCK_DEFAULT_BASE_URL);
  const apiKey = readAPIKey({
    provider: "bedrock",
    apiKey: settings.apiKey,
    env: settings.env,
    envNames: BEDROCK_API_KEY_ENV,
  });
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  for (const [name, value] of Object.entries(settings.headers ?? {}))
    headers[name.toLowerCase()] = value;
  return new BedrockChatClient({
    ...(settings.model === undefined ? {} : { model: settings.model }),
    url: `${baseURL}/chat/completions`,
    headers,
    transport: settings.transport ?? defaultTransport(),
    ...(settings.limits === undefined ? {} : { limits: settings.limits }),
  });
}

/** Registers Bedrock with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<BedrockProviderSettings> = {
  type: "bedrock",
  packageName: "@llm/provider-bedrock",
  apiKeyEnv: BEDROCK_API_KEY_ENV,
  create: createBedrock,
};
