import {
  createFetchTransport,
  defaultTransport,
  normalizeBaseURL,
  readAPIKey,
  type Transport,
} from "@llm/core";
import type { MistralProviderSettings } from "./mistral-provider.js";

export const MISTRAL_API_KEY_ENV = "MISTRAL_API_KEY";
export const MISTRAL_DEFAULT_BASE_URL = "https://api.mistral.ai/v1";
export const PROVIDER = "mistral";

/** Where and how every Mistral client (chat, embeddings) of one settings object talks. */
export interface MistralConnection {
  baseURL: string;
  /** Static headers: content type, auth, custom. */
  headers: Record<string, string>;
  transport: Transport;
}

/**
 * Resolves the connection once, so no call pays for it: the API key (`apiKey`,
 * else `MISTRAL_API_KEY` — missing → `AuthenticationError` naming the variable,
 * thrown now rather than at the first call), the `baseURL` (else
 * api.mistral.ai/v1 — invalid → `ConfigError`), the static headers and the
 * transport. The key goes in the `authorization` header, never the URL.
 */
export function resolveMistralConnection(settings: MistralProviderSettings): MistralConnection {
  const baseURL = normalizeBaseURL(PROVIDER, settings.baseURL ?? MISTRAL_DEFAULT_BASE_URL);
  const apiKey = readAPIKey({
    provider: PROVIDER,
    apiKey: settings.apiKey,
    env: settings.env ?? process.env,
    envNames: [MISTRAL_API_KEY_ENV],
  });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    authorization: `Bearer ${apiKey}`,
  };
  if (settings.headers) {
    for (const [key, value] of Object.entries(settings.headers)) headers[key.toLowerCase()] = value;
  }
  const transport =
    settings.transport ??
    (settings.fetch ? createFetchTransport({ fetch: settings.fetch }) : defaultTransport());
  return { baseURL, headers, transport };
}
