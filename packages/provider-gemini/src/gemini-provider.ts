import {
  defaultTransport,
  type EmbeddingClientSettings,
  type ProviderDefinition,
  type ProviderSettings,
  readRequestDefaults,
} from "@llm/core";
import { GeminiChatClient, type GeminiRequestDefaults } from "./gemini-chat-client.js";
import {
  GEMINI_API_KEY_ENV,
  GEMINI_DEFAULT_BASE_URL,
  resolveGeminiConnection,
} from "./gemini-connection.js";
import { GEMINI_MAX_INPUTS_PER_CALL, GeminiEmbeddingClient } from "./gemini-embedding-client.js";

export { GEMINI_API_KEY_ENV, GEMINI_DEFAULT_BASE_URL };

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
  const { baseURL, headers } = resolveGeminiConnection(settings);
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

/**
 * Creates a Gemini embeddings client (`embedContent` / `batchEmbedContents`)
 * from the same settings as `createGemini`; `model` is the embedding model,
 * e.g. `gemini-embedding-001`.
 */
export function createGeminiEmbeddings(
  settings: GeminiProviderSettings & EmbeddingClientSettings = {},
): GeminiEmbeddingClient {
  const { baseURL, headers } = resolveGeminiConnection(settings);
  return new GeminiEmbeddingClient({
    baseURL,
    headers,
    transport: settings.transport ?? defaultTransport(),
    maxInputsPerCall: settings.maxInputsPerCall ?? GEMINI_MAX_INPUTS_PER_CALL,
    ...(settings.model === undefined ? {} : { model: settings.model }),
    ...(settings.limits === undefined ? {} : { limits: settings.limits }),
    ...(settings.maxParallelCalls === undefined
      ? {}
      : { maxParallelCalls: settings.maxParallelCalls }),
  });
}

/** Registers Gemini with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<GeminiProviderSettings> = {
  type: "gemini",
  packageName: "@llm/provider-gemini",
  apiKeyEnv: GEMINI_API_KEY_ENV,
  create: createGemini,
  createEmbeddings: createGeminiEmbeddings,
};
