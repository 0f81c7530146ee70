import {
  ConfigError,
  createFetchTransport,
  defaultTransport,
  readAPIKey,
  revealSecret,
  type Transport,
} from "@llm/core";
import { withAzureADToken } from "./azure-ad-token-transport.js";
import type { AzureOpenAIProviderSettings } from "./azure-openai-provider.js";
import {
  AZURE_OPENAI_DEFAULT_API_VERSION,
  type AzureOpenAIEndpoint,
  azureOperationURL,
  readAzureEndpoint,
} from "./azure-openai-url.js";

export const AZURE_OPENAI_API_KEY_ENV = "AZURE_OPENAI_API_KEY";
export const PROVIDER = "azure-openai";

/** Where and how the clients (chat, embeddings) of one settings object talk. */
export interface AzureOpenAIConnection {
  endpoint: AzureOpenAIEndpoint;
  /** The deployment the deployment routes address; `undefined` on the v1 surface. */
  deployment: string | undefined;
  apiVersion: string | undefined;
  /** Static headers: `api-key` (unless an Entra token provider authenticates), custom ones. */
  headers: Record<string, string>;
  /** The transport; with `azureADTokenProvider`, one that adds a fresh bearer token per request. */
  transport: Transport;
  /** The URL of `operation` (`chat/completions`, `embeddings`). */
  url(operation: string): string;
}

/**
 * Resolves a connection once, so no call pays for it: the endpoint (see
 * `readAzureEndpoint`), the surface, the deployment (`deployment`, else the
 * deployment in `baseURL`, else `model`; required on deployment routes), the
 * `api-version` (`apiVersion`, else the one in `baseURL`, else on deployment
 * routes `OPENAI_API_VERSION` / `AZURE_OPENAI_API_VERSION` or the GA default;
 * none on v1) and the credential: an `api-key` header
 * (`apiKey`, else `AZURE_OPENAI_API_KEY`; `""` sends none) or, exclusively,
 * `azureADTokenProvider`.
 */
export function resolveAzureOpenAIConnection(
  settings: AzureOpenAIProviderSettings,
): AzureOpenAIConnection {
  const env = settings.env ?? process.env;
  const endpoint = readAzureEndpoint(PROVIDER, {
    baseURL: settings.baseURL,
    endpoint:
      settings.endpoint ?? (settings.baseURL === undefined ? env.AZURE_OPENAI_ENDPOINT : undefined),
    resourceName: settings.resourceName ?? env.AZURE_OPENAI_RESOURCE_NAME,
  });
  if (settings.apiSurface !== undefined) endpoint.surface = settings.apiSurface;
  const surface = endpoint.surface;
  const deployment =
    surface === "v1" ? undefined : (settings.deployment ?? endpoint.deployment ?? settings.model);
  if (surface === "deployments" && (deployment === undefined || deployment.trim() === "")) {
    throw new ConfigError(`No deployment for provider "${PROVIDER}"`, {
      provider: PROVIDER,
      issues: [
        {
          path: "deployment",
          message: "set deployment (or model, which names the deployment by default)",
        },
      ],
    });
  }
  // The environment's dated versions are for deployment routes: v1 rejects them, so there
  // only an explicit setting (or the baseURL's) sends one.
  const apiVersion =
    settings.apiVersion ??
    endpoint.apiVersion ??
    (surface === "deployments"
      ? (env.OPENAI_API_VERSION ?? env.AZURE_OPENAI_API_VERSION ?? AZURE_OPENAI_DEFAULT_API_VERSION)
      : undefined);

  const tokenProvider = settings.azureADTokenProvider;
  const given = settings.apiKey === undefined ? undefined : revealSecret(settings.apiKey);
  if (tokenProvider !== undefined && given !== undefined && given !== "") {
    throw new ConfigError(
      `apiKey and azureADTokenProvider are exclusive for provider "${PROVIDER}"`,
      {
        provider: PROVIDER,
        issues: [{ path: "apiKey", message: "pass apiKey or azureADTokenProvider, not both" }],
      },
    );
  }
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (tokenProvider === undefined && given !== "") {
    headers["api-key"] = readAPIKey({
      provider: PROVIDER,
      apiKey: settings.apiKey,
      env,
      envNames: [AZURE_OPENAI_API_KEY_ENV],
    });
  }
  if (settings.headers) {
    for (const [key, value] of Object.entries(settings.headers)) headers[key.toLowerCase()] = value;
  }
  const base =
    settings.transport ??
    (settings.fetch ? createFetchTransport({ fetch: settings.fetch }) : defaultTransport());
  const transport =
    tokenProvider === undefined ? base : withAzureADToken(base, PROVIDER, tokenProvider);
  return {
    endpoint,
    deployment,
    apiVersion,
    headers,
    transport,
    url: (operation) =>
      azureOperationURL(endpoint.root, surface, deployment, operation, apiVersion),
  };
}
