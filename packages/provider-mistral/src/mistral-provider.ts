import {
  type EmbeddingClientSettings,
  type ProviderDefinition,
  type ProviderSettings,
  REQUEST_DEFAULT_KEYS,
  readRequestDefaults,
} from "@llm/core";
import { MistralChatClient, type MistralChatClientConfig } from "./mistral-chat-client.js";
import {
  MISTRAL_API_KEY_ENV,
  MISTRAL_DEFAULT_BASE_URL,
  PROVIDER,
  resolveMistralConnection,
} from "./mistral-connection.js";
import {
  MISTRAL_MAX_INPUTS_PER_CALL,
  MistralEmbeddingClient,
  type MistralEmbeddingClientConfig,
} from "./mistral-embedding-client.js";

export { MISTRAL_API_KEY_ENV, MISTRAL_DEFAULT_BASE_URL };

export interface MistralProviderSettings extends ProviderSettings {
  /**
   * Send `safe_prompt: true` on every chat request: Mistral prepends its safety
   * system prompt. A request's `providerOptions.mistral.safe_prompt` wins.
   */
  safePrompt?: boolean;
  /** A custom `fetch` for the default transport (ignored when `transport` is given). */
  fetch?: typeof fetch;
}

/** Chat completions has a field for every `settings.defaults` key but `topK`. */
const DEFAULT_KEYS = REQUEST_DEFAULT_KEYS.filter((key) => key !== "topK");

/**
 * Creates a Mistral chat client (`POST /v1/chat/completions`). Key, base URL,
 * headers and transport are resolved here, once: a missing key is an
 * `AuthenticationError` naming `MISTRAL_API_KEY` now, not at the first call.
 */
export function createMistral(settings: MistralProviderSettings = {}): MistralChatClient {
  const { baseURL, headers, transport } = resolveMistralConnection(settings);
  const config: MistralChatClientConfig = {
    url: `${baseURL}/chat/completions`,
    headers,
    transport,
  };
  if (settings.model !== undefined) config.model = settings.model;
  if (settings.limits !== undefined) config.limits = settings.limits;
  if (settings.safePrompt !== undefined) config.safePrompt = settings.safePrompt;
  if (settings.defaults !== undefined)
    config.defaults = readRequestDefaults(PROVIDER, settings.defaults, DEFAULT_KEYS);
  return new MistralChatClient(config);
}

/**
 * Creates a Mistral embeddings client (`POST /v1/embeddings`) from the same
 * settings as `createMistral`; `model` is the embedding model, e.g.
 * `mistral-embed` or `codestral-embed`.
 */
export function createMistralEmbeddings(
  settings: MistralProviderSettings & EmbeddingClientSettings = {},
): MistralEmbeddingClient {
  const { baseURL, headers, transport } = resolveMistralConnection(settings);
  const config: MistralEmbeddingClientConfig = {
    url: `${baseURL}/embeddings`,
    headers,
    transport,
    maxInputsPerCall: settings.maxInputsPerCall ?? MISTRAL_MAX_INPUTS_PER_CALL,
  };
  if (settings.model !== undefined) config.model = settings.model;
  if (settings.limits !== undefined) config.limits = settings.limits;
  if (settings.maxParallelCalls !== undefined) config.maxParallelCalls = settings.maxParallelCalls;
  return new MistralEmbeddingClient(config);
}

/** Registers Mistral with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<MistralProviderSettings> = {
  type: PROVIDER,
  packageName: "@llm/provider-mistral",
  apiKeyEnv: [MISTRAL_API_KEY_ENV],
  create: createMistral,
  createEmbeddings: createMistralEmbeddings,
};
