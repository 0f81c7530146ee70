import { isSecret, normalizeBaseURL, type ProviderSettings, readAPIKey } from "@llm/core";

export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

/** Environment variables read for the key, in this order. */
export const GEMINI_API_KEY_ENV = ["GEMINI_API_KEY", "GOOGLE_API_KEY"] as const;

/** Where and how every Gemini client (chat, embeddings) of one settings object talks. */
export interface GeminiConnection {
  /** Normalized, without a trailing slash. */
  baseURL: string;
  /** Static headers: `x-goog-api-key`, custom ones. */
  headers: Record<string, string>;
}

/**
 * Resolves the connection once. The key comes from `settings.apiKey`, else
 * `GEMINI_API_KEY`, else `GOOGLE_API_KEY`; none is an `AuthenticationError`
 * naming both, thrown here rather than at the first call. `apiKey: ""` sends
 * no key (for a proxy that adds it). A bad `baseURL` is a `ConfigError`.
 */
export function resolveGeminiConnection(settings: ProviderSettings): GeminiConnection {
  const baseURL = normalizeBaseURL("gemini", settings.baseURL ?? GEMINI_DEFAULT_BASE_URL);
  const explicitlyNone =
    settings.apiKey === "" || (isSecret(settings.apiKey) && settings.apiKey.isEmpty);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (!explicitlyNone) {
    headers["x-goog-api-key"] = readAPIKey({
      provider: "gemini",
      apiKey: settings.apiKey,
      env: settings.env,
      envNames: GEMINI_API_KEY_ENV,
    });
  }
  if (settings.headers) {
    for (const [name, value] of Object.entries(settings.headers))
      headers[name.toLowerCase()] = value;
  }
  return { baseURL, headers };
}

/** `"gemini-2.5-flash"` → `models/gemini-2.5-flash`; `"tunedModels/x"` and `"models/x"` stay as they are. */
export function geminiModelPath(model: string): string {
  return model.includes("/") ? model : `models/${model}`;
}
