import { ConfigError } from "../errors/errors.js";
import { redactSecrets } from "../redact.js";

/**
 * Validates a provider's `baseURL` and strips trailing slashes, so callers can
 * append `/chat/completions`. Throws `ConfigError` at path `baseURL`.
 */
export function normalizeBaseURL(provider: string, url: string): string {
  const value = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalid(provider, value, "is not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw invalid(provider, value, `must use http or https, not ${parsed.protocol.slice(0, -1)}`);
  }
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 47) end--;
  return value.slice(0, end);
}

function invalid(provider: string, value: string, why: string): ConfigError {
  const message = redactSecrets(`${JSON.stringify(value)} ${why}`);
  return new ConfigError(`Invalid baseURL for provider "${provider}"`, {
    provider,
    issues: [{ path: "baseURL", message }],
  });
}
