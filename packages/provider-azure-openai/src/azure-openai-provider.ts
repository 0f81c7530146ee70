import {
  type EmbeddingClientSettings,
  type HttpErrorInfo,
  type LLMError,
  type ProviderDefinition,
  type ProviderSettings,
  REQUEST_DEFAULT_KEYS,
  readRequestDefaults,
} from "@llm/core";
import {
  OpenAIChatClient as ChatClient,
  OPENAI_MAX_INPUTS_PER_CALL,
  type OpenAIChatClient,
  type OpenAICompatibility,
  OpenAIEmbeddingClient,
} from "@llm/provider-openai";
import type { AzureADTokenProvider } from "./azure-ad-token-transport.js";
import {
  contentFilterStreamMetadata,
  readContentFilterMetadata,
} from "./azure-content-filter-metadata.js";
import {
  AZURE_OPENAI_API_KEY_ENV,
  PROVIDER,
  resolveAzureOpenAIConnection,
} from "./azure-openai-connection.js";
import { azureOpenAIErrorFromResponse } from "./azure-openai-error.js";
import type { AzureOpenAISurface } from "./azure-openai-url.js";

export { AZURE_OPENAI_API_KEY_ENV };

export interface AzureOpenAIProviderSettings extends ProviderSettings {
  /**
   * The `/openai` root, as the official SDK's `baseURL`:
   * `https://{resource}.openai.azure.com/openai`. It may already name a
   * deployment (`…/openai/deployments/{name}`), the v1 surface (`…/openai/v1`)
   * and an `api-version` (`?api-version=2024-10-21`) — handy from config files,
   * where only `baseURL` and `model` exist. Wins over `endpoint` and `resourceName`.
   */
  baseURL?: string;
  /** `https://{resource}.openai.azure.com`; falls back to `AZURE_OPENAI_ENDPOINT`. */
  endpoint?: string;
  /** The `{resource}` of `{resource}.openai.azure.com`; falls back to `AZURE_OPENAI_RESOURCE_NAME`. */
  resourceName?: string;
  /** The deployment addressed on deployment routes. Default: the one in `baseURL`, else `model`. */
  deployment?: string;
  /**
   * The `api-version` query parameter. Default: the one in `baseURL`; else, on
   * deployment routes, `OPENAI_API_VERSION` / `AZURE_OPENAI_API_VERSION`, else
   * `2024-10-21`; on the v1 surface none (it rejects dated versions).
   */
  apiVersion?: string;
  /** `deployments` (default) or `v1` (`/openai/v1/…`, the deployment name as `model`). */
  apiSurface?: AzureOpenAISurface;
  /**
   * Microsoft Entra ID instead of a key: called before every request, its token
   * goes out as `Authorization: Bearer …` and nowhere else. Exclusive with
   * `apiKey`. With `@azure/identity`:
   * `getBearerTokenProvider(new DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default")`.
   */
  azureADTokenProvider?: AzureADTokenProvider;
  compatibility?: OpenAICompatibility;
  /** A custom `fetch` for the default transport (ignored when `transport` is given). */
  fetch?: typeof fetch;
}

/** The chat client: `@llm/provider-openai`'s, on Azure's URLs, auth and errors. */
export type AzureOpenAIChatClient = OpenAIChatClient;

/** `providerOptions.openai` first, then `providerOptions["azure-openai"]` over it. */
const PROVIDER_OPTION_KEYS = ["openai", PROVIDER] as const;

const mapError = (info: HttpErrorInfo): LLMError => azureOpenAIErrorFromResponse(info);

/**
 * Creates an Azure OpenAI chat client. Endpoint, deployment, api-version,
 * credential and transport are resolved here, once: a missing key is an
 * `AuthenticationError` and a missing endpoint or deployment a `ConfigError`
 * now, not at the first call. Its `cacheScope` carries the endpoint, the
 * deployment and the api-version (all in the URL) — never the key or a token.
 */
export function createAzureOpenAI(
  settings: AzureOpenAIProviderSettings = {},
): AzureOpenAIChatClient {
  const connection = resolveAzureOpenAIConnection(settings);
  const compatibility = settings.compatibility ?? {};
  const config: ConstructorParameters<typeof ChatClient>[0] = {
    provider: PROVIDER,
    url: connection.url("chat/completions"),
    headers: connection.headers,
    transport: connection.transport,
    streamOptions: compatibility.streamOptions ?? true,
    // Reasoning deployments require it; every GA api-version since 2024-10-21 accepts it.
    maxTokensField: compatibility.maxTokensField ?? "max_completion_tokens",
    providerOptionKeys: PROVIDER_OPTION_KEYS,
    mapError,
    responseMetadata: readContentFilterMetadata,
    streamMetadata: contentFilterStreamMetadata,
  };
  // On deployment routes the deployment picks the model; `model` in the body is informational.
  const model = settings.model ?? connection.deployment;
  if (model !== undefined) config.model = model;
  if (settings.limits !== undefined) config.limits = settings.limits;
  if (settings.defaults !== undefined)
    config.defaults = readRequestDefaults(PROVIDER, settings.defaults, DEFAULT_KEYS);
  return new ChatClient(config);
}

/**
 * Creates an Azure OpenAI embeddings client from the same settings: the
 * deployment (or `model`) names an embedding deployment, e.g. one of
 * `text-embedding-3-small`.
 */
export function createAzureOpenAIEmbeddings(
  settings: AzureOpenAIProviderSettings & EmbeddingClientSettings = {},
): OpenAIEmbeddingClient {
  const connection = resolveAzureOpenAIConnection(settings);
  const model = settings.model ?? connection.deployment;
  return new OpenAIEmbeddingClient({
    provider: PROVIDER,
    url: connection.url("embeddings"),
    headers: connection.headers,
    transport: connection.transport,
    maxInputsPerCall: settings.maxInputsPerCall ?? OPENAI_MAX_INPUTS_PER_CALL,
    providerOptionKeys: PROVIDER_OPTION_KEYS,
    mapError,
    ...(model === undefined ? {} : { model }),
    ...(settings.limits === undefined ? {} : { limits: settings.limits }),
    ...(settings.maxParallelCalls === undefined
      ? {}
      : { maxParallelCalls: settings.maxParallelCalls }),
  });
}

/** Chat Completions has a field for every `settings.defaults` key but `topK`. */
const DEFAULT_KEYS = REQUEST_DEFAULT_KEYS.filter((key) => key !== "topK");

/** Registers with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<AzureOpenAIProviderSettings> = {
  type: PROVIDER,
  packageName: "@llm/provider-azure-openai",
  apiKeyEnv: [AZURE_OPENAI_API_KEY_ENV],
  create: createAzureOpenAI,
  createEmbeddings: createAzureOpenAIEmbeddings,
};
