import {
  defaultTransport,
  type EmbeddingClientSettings,
  joinURL,
  normalizeBaseURL,
  type ProviderDefinition,
  type ProviderSettings,
  readRequestDefaults,
  registerSecretValue,
  revealSecret,
} from "@llm/core";
import { OllamaChatClient, type OllamaRequestDefaults } from "./ollama-chat-client.js";
import { OLLAMA_MAX_INPUTS_PER_CALL, OllamaEmbeddingClient } from "./ollama-embedding-client.js";

export const OLLAMA_DEFAULT_BASE_URL = "http://127.0.0.1:11434";
const OLLAMA_DEFAULT_PORT = "11434";

/** Optional: only a proxy in front of Ollama (or ollama.com) wants a key. */
export const OLLAMA_API_KEY_ENV = ["OLLAMA_API_KEY"] as const;

export interface OllamaProviderSettings extends ProviderSettings {
  /**
   * Default request fields (`temperature`, `topP`, `topK`, `maxTokens`, `stop`,
   * `seed`, …) used when a request leaves them undefined.
   */
  defaults?: OllamaRequestDefaults & ProviderSettings["defaults"];
}

/**
 * Creates an Ollama client. The server is `settings.baseURL`, else
 * `OLLAMA_HOST` (as the `ollama` CLI reads it: `host`, `host:port` or a URL),
 * else `http://127.0.0.1:11434`. No key is needed; `apiKey` (or
 * `OLLAMA_API_KEY`) is sent as a bearer token for proxies. A bad `baseURL`
 * is a `ConfigError`.
 */
export function createOllama(settings: OllamaProviderSettings = {}): OllamaChatClient {
  const { baseURL, headers } = resolveOllamaConnection(settings);
  return new OllamaChatClient({
    ...(settings.model === undefined ? {} : { model: settings.model }),
    ...(settings.limits === undefined ? {} : { limits: settings.limits }),
    url: joinURL(baseURL, "api/chat"),
    headers,
    transport: settings.transport ?? defaultTransport(),
    ...(settings.defaults === undefined
      ? {}
      : { defaults: readRequestDefaults("ollama", settings.defaults) }),
  });
}

/**
 * Creates an Ollama embeddings client (`POST /api/embed`) from the same
 * settings as `createOllama`; `model` is the embedding model, e.g.
 * `nomic-embed-text`.
 */
export function createOllamaEmbeddings(
  settings: OllamaProviderSettings & EmbeddingClientSettings = {},
): OllamaEmbeddingClient {
  const { baseURL, headers } = resolveOllamaConnection(settings);
  return new OllamaEmbeddingClient({
    url: joinURL(baseURL, "api/embed"),
    headers,
    transport: settings.transport ?? defaultTransport(),
    maxInputsPerCall: settings.maxInputsPerCall ?? OLLAMA_MAX_INPUTS_PER_CALL,
    ...(settings.model === undefined ? {} : { model: settings.model }),
    ...(settings.limits === undefined ? {} : { limits: settings.limits }),
    ...(settings.maxParallelCalls === undefined
      ? {}
      : { maxParallelCalls: settings.maxParallelCalls }),
  });
}

/** Server and headers, resolved once for every Ollama client of one settings object. */
function resolveOllamaConnection(settings: OllamaProviderSettings): {
  baseURL: string;
  headers: Record<string, string>;
} {
  const env = settings.env ?? process.env;
  const baseURL = normalizeBaseURL("ollama", settings.baseURL ?? fromOllamaHost(env.OLLAMA_HOST));
  const headers: Record<string, string> = { "content-type": "application/json" };
  const apiKey = (revealSecret(settings.apiKey) ?? env.OLLAMA_API_KEY)?.trim();
  if (apiKey) {
    registerSecretValue(apiKey);
    headers.authorization = `Bearer ${apiKey}`;
  }
  if (settings.headers) {
    for (const [name, value] of Object.entries(settings.headers))
      headers[name.toLowerCase()] = value;
  }
  return { baseURL, headers };
}

/**
 * `OLLAMA_HOST` → a base URL, read as the `ollama` CLI reads it: a value with
 * a scheme is a URL (its default port applies); a bare `host` or `host:port`
 * is `http`, port 11434 unless given; `0.0.0.0` (a bind address) is dialled
 * as `127.0.0.1`.
 */
export function fromOllamaHost(host: string | undefined): string {
  const value = host?.trim();
  if (!value) return OLLAMA_DEFAULT_BASE_URL;
  const hasScheme = value.includes("://");
  let url: URL;
  try {
    url = new URL(hasScheme ? value : `http://${value}`);
  } catch {
    return value; // normalizeBaseURL turns it into a ConfigError naming the value
  }
  if (url.hostname === "0.0.0.0") url.hostname = "127.0.0.1";
  if (!hasScheme && url.port === "" && !/:80(?:\/|$)/.test(value)) url.port = OLLAMA_DEFAULT_PORT;
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}

/** Registers Ollama with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<OllamaProviderSettings> = {
  type: "ollama",
  packageName: "@llm/provider-ollama",
  apiKeyEnv: OLLAMA_API_KEY_ENV,
  create: createOllama,
  createEmbeddings: createOllamaEmbeddings,
};
