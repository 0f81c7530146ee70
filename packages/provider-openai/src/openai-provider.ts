import {
  type EmbeddingClientSettings,
  joinURL,
  type ProviderDefinition,
  type ProviderSettings,
  REQUEST_DEFAULT_KEYS,
  readRequestDefaults,
} from "@llm/core";
import { OpenAIChatClient } from "./openai-chat-client.js";
import {
  OPENAI_API_KEY_ENV,
  OPENAI_DEFAULT_BASE_URL,
  resolveOpenAIConnection,
} from "./openai-connection.js";
import { OPENAI_MAX_INPUTS_PER_CALL, OpenAIEmbeddingClient } from "./openai-embedding-client.js";

export { OPENAI_API_KEY_ENV, OPENAI_DEFAULT_BASE_URL };

/** Tweaks for OpenAI-compatible servers that differ from OpenAI in small ways. */
export interface OpenAICompatibility {
  /**
   * Send `stream_options: { include_usage: true }` so streams end with usage.
   * Default `true`; turn off for servers that reject unknown fields.
   */
  streamOptions?: boolean;
  /**
   * Which field carries `maxTokens`. Default: `max_completion_tokens` for
   * api.openai.com (required by reasoning models), `max_tokens` for any other
   * `baseURL` (what vLLM, llama.cpp, LM Studio, Groq, DeepSeek and OpenRouter read).
   */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
}

export interface OpenAIProviderSettings extends ProviderSettings {
  /** `OpenAI-Organization` header; falls back to `OPENAI_ORG_ID`. */
  organization?: string;
  /** `OpenAI-Project` header; falls back to `OPENAI_PROJECT_ID`. */
  project?: string;
  /**
   * Reported as `provider` on responses, events and errors (`"groq"`,
   * `"vllm"`, …), and also read as a `providerOptions` key. Default `"openai"`.
   */
  name?: string;
  compatibility?: OpenAICompatibility;
  /** A custom `fetch` for the default transport (ignored when `transport` is given). */
  fetch?: typeof fetch;
}

const PROVIDER = "openai";

/**
 * Creates an OpenAI (or OpenAI-compatible) client. Key, base URL, headers
 * and transport are resolved here, once (see `resolveOpenAIConnection`):
 * a missing key is an `AuthenticationError` now, not at the first call.
 */
export function createOpenAI(settings: OpenAIProviderSettings = {}): OpenAIChatClient {
  const { name, baseURL, headers, transport } = resolveOpenAIConnection(settings);
  const isOpenAI = baseURL === OPENAI_DEFAULT_BASE_URL;
  const compatibility = settings.compatibility ?? {};
  const config: ConstructorParameters<typeof OpenAIChatClient>[0] = {
    provider: name,
    url: joinURL(baseURL, "chat/completions"),
    headers,
    transport,
    streamOptions: compatibility.streamOptions ?? true,
    maxTokensField:
      compatibility.maxTokensField ?? (isOpenAI ? "max_completion_tokens" : "max_tokens"),
    providerOptionKeys: name === PROVIDER ? [PROVIDER] : [PROVIDER, name],
  };
  if (settings.model !== undefined) config.model = settings.model;
  if (settings.limits !== undefined) config.limits = settings.limits;
  if (settings.defaults !== undefined)
    config.defaults = readRequestDefaults(name, settings.defaults, DEFAULT_KEYS);
  return new OpenAIChatClient(config);
}

/**
 * Creates an OpenAI (or OpenAI-compatible) embeddings client from the same
 * settings as `createOpenAI` (key, base URL, headers, transport); `model`
 * is the embedding model, e.g. `text-embedding-3-small`.
 */
export function createOpenAIEmbeddings(
  settings: OpenAIProviderSettings & EmbeddingClientSettings = {},
): OpenAIEmbeddingClient {
  const { name, baseURL, headers, transport } = resolveOpenAIConnection(settings);
  return new OpenAIEmbeddingClient({
    provider: name,
    url: joinURL(baseURL, "embeddings"),
    headers,
    transport,
    maxInputsPerCall: settings.maxInputsPerCall ?? OPENAI_MAX_INPUTS_PER_CALL,
    providerOptionKeys: name === PROVIDER ? [PROVIDER] : [PROVIDER, name],
    ...(settings.model === undefined ? {} : { model: settings.model }),
    ...(settings.limits === undefined ? {} : { limits: settings.limits }),
    ...(settings.maxParallelCalls === undefined
      ? {}
      : { maxParallelCalls: settings.maxParallelCalls }),
  });
}

/** Chat Completions has a field for every `settings.defaults` key but `topK`. */
const DEFAULT_KEYS = REQUEST_DEFAULT_KEYS.filter((key) => key !== "topK");

/** Registers with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<OpenAIProviderSettings> = {
  type: PROVIDER,
  packageName: "@llm/provider-openai",
  apiKeyEnv: [OPENAI_API_KEY_ENV],
  create: createOpenAI,
  createEmbeddings: createOpenAIEmbeddings,
};
