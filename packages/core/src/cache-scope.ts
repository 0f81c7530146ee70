import { createHmac } from "node:crypto";
import { isSecretHeaderName, isSensitiveQueryParam } from "./redact.js";

/**
 * Who would answer a request, as a response cache must know it so that two
 * provider instances (two servers, two organisations, two deployments) never
 * share an answer. Computed once per client; free of secrets.
 *
 * - `instance`: provider type, normalised origin and base path, and the
 *   static headers that select an account, project, deployment or API
 *   behaviour (`openai-organization`, `openai-project`, `anthropic-version`,
 *   `anthropic-beta`, `x-goog-user-project`, …), e.g.
 *   `openai https://api.openai.com/v1 openai-project=proj_1`. Safe to log.
 * - `credentialTag(key)`: HMAC-SHA256 (hex) under `key` of the credentials
 *   the client sends (auth headers, userinfo or key parameters of the URL),
 *   for caches that scope by credential. The credential itself is never
 *   exposed; without `key` nobody can link a tag to a key.
 */
export interface CacheScope {
  readonly instance: string;
  credentialTag(key: string | Uint8Array): string;
}

export interface ProviderCacheScopeOptions {
  /** Provider type (or the name an OpenAI-compatible client reports). */
  provider: string;
  /** The resolved base URL the client sends to (the provider default when none was configured). */
  baseURL: string;
  /** The static headers every call carries, names in any case. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Request defaults the client merges into every call (`settings.defaults`):
   * they change the answer but are not in the request a cache sees.
   */
  defaults?: Readonly<Record<string, unknown>>;
}

/**
 * Headers that never change who answers or how: the body's format and
 * client identification. Everything else a client sends on every call is
 * treated as selecting something — an unknown proxy header (`x-tenant`) then
 * splits the cache rather than letting two tenants share it.
 */
const NEUTRAL_HEADERS = new Set(["content-type", "accept", "accept-encoding", "user-agent"]);

/** Header and URL parameter names that carry a credential, beyond the known auth headers. */
const CREDENTIAL_NAME = /(?:auth|key|token|secret|passw|cookie|signature|credential|session)/i;

/**
 * Wider than the redactor's rules on purpose: a name wrongly taken for a
 * credential only leaves `instance` (it still reaches the credential tag),
 * while a credential wrongly taken for a selector would sit in clear in it.
 */
const isCredential = (name: string) => isSecretHeaderName(name) || CREDENTIAL_NAME.test(name);
const isCredentialParam = (name: string) =>
  isSensitiveQueryParam(name) || CREDENTIAL_NAME.test(name);

/** Headers known to select the account, project or API behaviour that answers. */
const ACCOUNT_HEADERS = new Set([
  "openai-organization",
  "openai-project",
  "anthropic-version",
  "anthropic-beta",
  "x-goog-user-project",
]);

/**
 * What a header means to a response cache: `neutral` (format, client
 * identification), `credential` (auth), `account` (known to select who
 * answers) or `other`. A provider's static headers other than neutral and
 * credential ones all join its scope; for per-call headers (`CallOptions`),
 * which a cache cannot fold into a precomputed scope, the cache skips calls
 * that carry an `account` header, or a `credential` under credential scope.
 */
export function cacheHeaderRole(name: string): "neutral" | "credential" | "account" | "other" {
  const lower = name.toLowerCase();
  if (NEUTRAL_HEADERS.has(lower)) return "neutral";
  if (isCredential(lower)) return "credential";
  return ACCOUNT_HEADERS.has(lower) ? "account" : "other";
}

/**
 * The cache scope of a provider client, from what it really sends: the base
 * URL (scheme and host lower-cased, default port dropped, trailing slashes
 * and fragment removed, query parameters sorted) and its static headers.
 * Credentials found there (auth headers, `user:pass@`, `?key=`) go into the
 * credential tag only — never into `instance`.
 */
export function providerCacheScope(options: ProviderCacheScopeOptions): CacheScope {
  const credentials: string[] = [];
  const url = new URL(options.baseURL);
  if (url.username !== "" || url.password !== "") {
    credentials.push(`userinfo=${url.username}:${url.password}`);
    url.username = "";
    url.password = "";
  }
  const params = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const kept: string[] = [];
  for (const [name, value] of params) {
    if (isCredentialParam(name)) credentials.push(`query:${name}=${value}`);
    else kept.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  let path = url.pathname;
  while (path.endsWith("/")) path = path.slice(0, -1);
  // `URL` already lower-cases scheme and host and drops the scheme's default port.
  let instance = `${options.provider} ${url.protocol}//${url.host}${path}`;
  if (kept.length > 0) instance += `?${kept.join("&")}`;

  const selectors: string[] = [];
  for (const [rawName, value] of Object.entries(options.headers ?? {})) {
    const name = rawName.toLowerCase();
    if (NEUTRAL_HEADERS.has(name)) continue;
    if (isCredential(name)) credentials.push(`header:${name}=${value}`);
    else selectors.push(`${name}=${value.trim()}`);
  }
  if (selectors.length > 0) instance += ` ${selectors.sort().join(" ")}`;
  const defaults = Object.entries(options.defaults ?? {}).filter(
    ([, value]) => value !== undefined,
  );
  if (defaults.length > 0) {
    defaults.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    instance += ` defaults=${JSON.stringify(Object.fromEntries(defaults))}`;
  }
  return scopeOf(instance, credentials.sort().join("\n"));
}

/**
 * The scope of a client that may be answered by any of `scopes` (a fallback
 * chain): their instances and credential tags, in order. `undefined` when a
 * member has none — an unknown member could be anyone, and a cache must not
 * guess.
 */
export function combineCacheScopes(
  scopes: ReadonlyArray<CacheScope | undefined>,
): CacheScope | undefined {
  if (scopes.length === 1) return scopes[0];
  const known: CacheScope[] = [];
  for (const scope of scopes) {
    if (scope === undefined) return undefined;
    known.push(scope);
  }
  return {
    instance: known.map((scope) => scope.instance).join(" | "),
    credentialTag: (key) => known.map((scope) => scope.credentialTag(key)).join(","),
  };
}

function scopeOf(instance: string, credential: string): CacheScope {
  // The credential stays in this closure; only keyed hashes of it leave.
  return {
    instance,
    credentialTag: (key) => createHmac("sha256", key).update(credential).digest("hex"),
  };
}
