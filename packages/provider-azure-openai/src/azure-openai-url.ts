import { ConfigError, joinURL, normalizeBaseURL } from "@llm/core";

/** The GA `api-version` used when none is configured (deployment routes need one). */
export const AZURE_OPENAI_DEFAULT_API_VERSION = "2024-10-21";

/**
 * Which Azure OpenAI surface a client talks to:
 * - `deployments`: `/openai/deployments/{deployment}/chat/completions?api-version=…`,
 *   the deployment in the path picks the model;
 * - `v1`: `/openai/v1/chat/completions`, `model` in the body (the deployment
 *   name), `api-version` optional.
 */
export type AzureOpenAISurface = "deployments" | "v1";

/** Where the requests of one client go, read from its settings once. */
export interface AzureOpenAIEndpoint {
  /** The `/openai` root, with any query parameters of the configured URL other than `api-version`. */
  root: string;
  surface: AzureOpenAISurface;
  /** Set when the configured URL already names a deployment (`…/openai/deployments/{name}`). */
  deployment?: string;
  /** The `api-version` query parameter of the configured URL, if it had one. */
  apiVersion?: string;
}

const DEPLOYMENT_PATH = /\/deployments\/([^/]+)\/*$/;
const V1_PATH = /\/v1\/*$/;
/** Azure resource names: letters, digits and hyphens (the `{resource}` of `{resource}.openai.azure.com`). */
const RESOURCE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/;

/**
 * The `/openai` root from whichever of `baseURL` (the root itself, as the
 * official SDK takes it; may already end in `/deployments/{name}` or `/v1`,
 * may carry `?api-version=`), `endpoint` (`https://{resource}.openai.azure.com`)
 * or `resourceName` is set — in that order. Throws `ConfigError` naming the
 * setting when none is, or one is not a valid URL / resource name.
 */
export function readAzureEndpoint(
  provider: string,
  options: {
    baseURL?: string | undefined;
    endpoint?: string | undefined;
    resourceName?: string | undefined;
  },
): AzureOpenAIEndpoint {
  let configured: string;
  if (options.baseURL !== undefined) {
    configured = normalizeBaseURL(provider, options.baseURL);
  } else if (options.endpoint !== undefined) {
    configured = joinURL(normalizeBaseURL(provider, options.endpoint), "openai");
  } else if (options.resourceName !== undefined) {
    const name = options.resourceName.trim();
    if (!RESOURCE_NAME.test(name)) {
      throw new ConfigError(`Invalid resourceName for provider "${provider}"`, {
        provider,
        issues: [
          {
            path: "resourceName",
            message: `${JSON.stringify(name)} is not an Azure resource name`,
          },
        ],
      });
    }
    configured = `https://${name}.openai.azure.com/openai`;
  } else {
    throw new ConfigError(`No endpoint for provider "${provider}"`, {
      provider,
      issues: [
        {
          path: "baseURL",
          message:
            "set baseURL, endpoint or resourceName (or AZURE_OPENAI_ENDPOINT / AZURE_OPENAI_RESOURCE_NAME)",
        },
      ],
    });
  }

  const url = new URL(configured);
  const apiVersion = url.searchParams.get("api-version") ?? undefined;
  url.searchParams.delete("api-version");
  url.hash = "";
  const endpoint: AzureOpenAIEndpoint = { root: url.href, surface: "deployments" };
  const deployment = DEPLOYMENT_PATH.exec(url.pathname);
  if (deployment !== null) {
    endpoint.deployment = decodeURIComponent(deployment[1] as string);
    url.pathname = url.pathname.slice(0, deployment.index);
    endpoint.root = url.href;
  } else if (V1_PATH.test(url.pathname)) {
    endpoint.surface = "v1";
    url.pathname = url.pathname.replace(V1_PATH, "");
    endpoint.root = url.href;
  }
  if (apiVersion !== undefined) endpoint.apiVersion = apiVersion;
  return endpoint;
}

/**
 * The URL of one operation (`chat/completions`, `embeddings`), joined as a
 * URL so query parameters of the configured endpoint survive, with
 * `api-version` set last (once, whatever the configured URL carried).
 */
export function azureOperationURL(
  root: string,
  surface: AzureOpenAISurface,
  deployment: string | undefined,
  operation: string,
  apiVersion: string | undefined,
): string {
  const path =
    surface === "v1"
      ? `v1/${operation}`
      : `deployments/${encodeURIComponent(deployment ?? "")}/${operation}`;
  const url = new URL(joinURL(root, path));
  if (apiVersion !== undefined) url.searchParams.set("api-version", apiVersion);
  return url.href;
}
