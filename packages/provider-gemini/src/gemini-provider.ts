import {
  defaultTransport,
  isSecret,
  normalizeBaseURL,
  type ProviderDefinition,
  type ProviderSettings,
  readAPIKey,
  readRequestDefaults,
} from "@llm/core";
import { GeminiChatClient, type GeminiRequestDefaults } from "./gemini-chat-client.js";

export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

/** Environment variables read for the key, in this order. */
export const GEMINI_API_KEY_ENV = ["GEMINI_API_KEY", "GOOGLE_API_KEY"] as const;

export interface GeminiProviderSettings extends ProviderSettings {
  /**
   * Default request fields (`temperature`, `topP`, `topK`, `maxTokens`, `stop`,
   * `seed`, …) used when a request leaves them undefined.
   */
  defaults?: GeminiRequestDefaults & ProviderSettings["defaults"];
}

/**
 * Creates a Gemini client. The key comes from `settings.apiKey`, else
 * `GEMINI_API_KEY`, else `GOOGLE_API_KEY`; none is an `AuthenticationError`
 * naming both, thrown here rather than at the first call. `apiKey: ""` sends
 * no key (for a proxy that adds it). A bad `baseURL` is a `ConfigError`.
 */
export function createGemini(settings: GeminiProviderSettings = {}): GeminiChatClient {
  const baseURL = normalizeBaseURL("gemini", settings.baseURL ?? GEMINI_DEFAULT_BASE_URL);
  const explicitlyNone =
    settings.apiKey === "" || (isSecret(settings.apiKey) && settings.apiKey.isEmpty);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (!explicitlyNone) {
    headers["x-goog-api-key"] = readAPIKey({
      provider: "gemini",
      apiKey: settings.apiKey,
      env: settings.env,
      envNames: GEMINI_API_KEY_ENV,
    });
  }
  if (settings.headers) {
    for (const [name, value] of Object.entries(settings.headers))
      headers[name.toLowerCase()] = value;
  }
  return new GeminiChatClient({
    ...(settings.model === undefined ? {} : { model: settings.model }),
    ...(settings.limits === undefined ? {} : { limits: settings.limits }),
    baseURL,
    headers,
    transport: settings.transport ?? defaultTransport(),
    ...(settings.defaults === undefined
      ? {}
      : { defaults: readRequestDefaults("gemini", settings.defaults) }),
  });
}

/** Registers Gemini with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<GeminiProviderSettings> = {
  type: "gemini",
  packageName: "@llm/provider-gemini",
  apiKeyEnv: GEMINI_API_KEY_ENV,
  create: createGemini,
};
