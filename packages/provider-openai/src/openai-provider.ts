import {
  createFetchTransport,
  defaultTransport,
  normalizeBaseURL,
  type ProviderDefinition,
  type ProviderSettings,
  REQUEST_DEFAULT_KEYS,
  readAPIKey,
  readRequestDefaults,
  revealSecret,
} from "@llm/core";
import { OpenAIChatClient } from "./openai-chat-client.js";

export const OPENAI_API_KEY_ENV = "OPENAI_API_KEY";
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

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
 * Creates an OpenAI (or OpenAI-compatible) client.
 *
 * Resolved once, here, so no call pays for it: the API key (`apiKey`, else
 * `OPENAI_API_KEY` — missing → `AuthenticationError` naming the variable,
 * thrown now rather than at the first call), the `baseURL` (`baseURL`, else
 * `OPENAI_BASE_URL`, else api.openai.com — invalid → `ConfigError`), the
 * static headers and the transport. `apiKey: ""` means "send no key", for
 * local servers that need none.
 */
export function createOpenAI(settings: OpenAIProviderSettings = {}): OpenAIChatClient {
  const env = settings.env ?? process.env;
  const name = settings.name ?? PROVIDER;
  const baseURL = normalizeBaseURL(
    name,
    settings.baseURL ?? env.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL,
  );
  const explicitlyKeyless = settings.apiKey !== undefined && revealSecret(settings.apiKey) === "";
  const apiKey = explicitlyKeyless
    ? undefined
    : readAPIKey({ provider: name, apiKey: settings.apiKey, env, envNames: [OPENAI_API_KEY_ENV] });

  const headers: Record<string, string> = { "content-type": "application/json" };
  if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
  const organization = settings.organization ?? env.OPENAI_ORG_ID;
  if (organization) headers["openai-organization"] = organization;
  const project = settings.project ?? env.OPENAI_PROJECT_ID;
  if (project) headers["openai-project"] = project;
  if (settings.headers) {
    for (const [key, value] of Object.entries(settings.headers)) headers[key.toLowerCase()] = value;
  }

  const isOpenAI = baseURL === OPENAI_DEFAULT_BASE_URL;
  const compatibility = settings.compatibility ?? {};
  const config: ConstructorParameters<typeof OpenAIChatClient>[0] = {
    provider: name,
    url: `${baseURL}/chat/completions`,
    headers,
    transport:
      settings.transport ??
      (settings.fetch ? createFetchTransport({ fetch: settings.fetch }) : defaultTransport()),
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

/** Chat Completions has a field for every `settings.defaults` key but `topK`. */
const DEFAULT_KEYS = REQUEST_DEFAULT_KEYS.filter((key) => key !== "topK");

/** Registers with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<OpenAIProviderSettings> = {
  type: PROVIDER,
  packageName: "@llm/provider-openai",
  apiKeyEnv: [OPENAI_API_KEY_ENV],
  create: createOpenAI,
};
