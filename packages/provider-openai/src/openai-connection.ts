import {
  createFetchTransport,
  defaultTransport,
  normalizeBaseURL,
  readAPIKey,
  revealSecret,
  type Transport,
} from "@llm/core";
import type { OpenAIProviderSettings } from "./openai-provider.js";

export const OPENAI_API_KEY_ENV = "OPENAI_API_KEY";
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
const PROVIDER = "openai";

/** Where and how every OpenAI client (chat, embeddings) of one settings object talks. */
export interface OpenAIConnection {
  /** Reported as `provider`: `settings.name`, else `"openai"`. */
  name: string;
  baseURL: string;
  /** Static headers: auth, organization, project, custom. */
  headers: Record<string, string>;
  transport: Transport;
}

/**
 * Resolves the connection once, so no call pays for it: the API key
 * (`apiKey`, else `OPENAI_API_KEY` — missing → `AuthenticationError` naming
 * the variable, thrown now rather than at the first call), the `baseURL`
 * (`baseURL`, else `OPENAI_BASE_URL`, else api.openai.com — invalid →
 * `ConfigError`), the static headers and the transport. `apiKey: ""` means
 * "send no key", for local servers that need none.
 */
export function resolveOpenAIConnection(settings: OpenAIProviderSettings): OpenAIConnection {
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
  const transport =
    settings.transport ??
    (settings.fetch ? createFetchTransport({ fetch: settings.fetch }) : defaultTransport());
  return { name, baseURL, headers, transport };
}
