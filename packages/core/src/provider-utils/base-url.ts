import { ConfigError } from "../errors/errors.js";
import { redactSecrets } from "../redact.js";

/**
 * Validates a provider's `baseURL` and strips trailing slashes. Throws
 * `ConfigError` at path `baseURL`. Build request URLs from it with `joinURL`.
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

/**
 * `baseURL` + an API path, joined on the URL's path: a query string in the
 * base (`?api-version=…`, a proxy's `?tenant=…`) stays a query string instead
 * of swallowing the path, as `${baseURL}/chat/completions` would make it. A
 * query in `path` (`models/x:streamGenerateContent?alt=sse`) is added after
 * the base's. Slashes between the two collapse to one; a fragment is dropped
 * (it is never sent).
 */
export function joinURL(baseURL: string, path: string): string {
  const url = new URL(baseURL);
  const queryAt = path.indexOf("?");
  const pathPart = queryAt === -1 ? path : path.slice(0, queryAt);
  let base = url.pathname;
  while (base.endsWith("/")) base = base.slice(0, -1);
  let rest = pathPart;
  while (rest.startsWith("/")) rest = rest.slice(1);
  url.pathname = `${base}/${rest}`;
  if (queryAt !== -1) {
    for (const [key, value] of new URLSearchParams(path.slice(queryAt + 1))) {
      url.searchParams.append(key, value);
    }
  }
  url.hash = "";
  return url.href;
}

function invalid(provider: string, value: string, why: string): ConfigError {
  const message = redactSecrets(`${JSON.stringify(value)} ${why}`);
  return new ConfigError(`Invalid baseURL for provider "${provider}"`, {
    provider,
    issues: [{ path: "baseURL", message }],
  });
}
