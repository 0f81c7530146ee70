/**
 * Masks credentials in free text before it reaches an error message, a log
 * line or a cache entry. Two defences: values registered by `Secret` (and the
 * credential parts of a `SecretURL`) are replaced wherever they occur, and
 * well-known shapes are masked even if nobody registered them: key formats,
 * `name: value` pairs, URL userinfo, sensitive query parameters and the token
 * segment of well-known webhook URLs.
 */
const registered = new Set<string>();
let registeredPattern: RegExp | undefined;
/**
 * Registered values too long for the pattern (a PEM private key, a service
 * account JSON), longest first: masked by plain search. One alternation of
 * such values can pass V8's limit on a pattern's size, and then building the
 * pattern — inside every error's constructor — would throw.
 */
const longValues: string[] = [];

export const REDACTED = "[REDACTED]";

/** Minimum length of a registered value: masking "a" everywhere would mangle text. */
const MIN_SECRET_LENGTH = 6;
/** Longest value the pattern takes; longer ones go to `longValues`. */
const MAX_PATTERN_VALUE_LENGTH = 1024;

export function registerSecretValue(value: string): void {
  if (value.length < MIN_SECRET_LENGTH || registered.has(value)) return;
  registered.add(value);
  if (value.length > MAX_PATTERN_VALUE_LENGTH) {
    longValues.push(value);
    longValues.sort((a, b) => b.length - a.length);
  } else registeredPattern = undefined;
}

/**
 * Query parameter names that carry credentials (Gemini's `?key=`, SAS and S3
 * signatures, OAuth codes and tokens). Matched case-insensitively, with `-`
 * and `_` treated alike.
 */
export const SENSITIVE_QUERY_PARAMS: ReadonlySet<string> = new Set([
  "key",
  "api_key",
  "apikey",
  "token",
  "access_token",
  "refresh_token",
  "id_token",
  "auth",
  "auth_token",
  "sig",
  "signature",
  "password",
  "passwd",
  "pwd",
  "secret",
  "client_secret",
  "code",
  "session",
  "sessionid",
  "credential",
  "credentials",
  "x_amz_signature",
  "x_amz_credential",
  "x_amz_security_token",
  "private_token",
]);

/** Suffixes that make any query parameter or header name sensitive (`subscription-key`, `x-custom-token`). */
const SENSITIVE_SUFFIX = /(?:^|[-_])(?:key|token|secret|password|passwd|signature|credentials?)$/;

export function isSensitiveQueryParam(name: string): boolean {
  const normalized = name.toLowerCase().replace(/-/g, "_");
  return SENSITIVE_QUERY_PARAMS.has(normalized) || SENSITIVE_SUFFIX.test(normalized);
}

/** Header names whose values are never logged or copied into errors (exact names). */
export const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "x-goog-api-key",
  "ocp-apim-subscription-key",
  "cookie",
  "set-cookie",
]);

/**
 * True for a header that carries a credential: the well-known names above and
 * any `*-key`, `*-token`, `*-secret`, `*-signature`, `*-password`,
 * `*-credentials`, `*-auth` or `*-session` header (`X-Custom-Token`,
 * `Ocp-Apim-Subscription-Key`).
 */
export function isSecretHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    SECRET_HEADERS.has(lower) ||
    /(?:^|[-_])(?:key|apikey|token|secret|signature|password|passwd|credentials?|auth|session)$/.test(
      lower,
    )
  );
}

/**
 * Webhook URLs whose path *is* the credential. The captured prefix stays,
 * the rest is masked.
 */
const WEBHOOK_PATHS: RegExp[] = [
  /^(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)[^?#\s]+/i,
  /^(https?:\/\/(?:[a-z]+\.)?discord(?:app)?\.com\/api\/webhooks\/[^/?#\s]+\/)[^?#\s]+/i,
  /^(https?:\/\/[^/?#\s]*\.webhook\.office\.com\/)[^?#\s]+/i,
];

const URL_USERINFO = /^([a-z][a-z0-9+.-]{0,31}:\/\/)([^/?#@\s]*)@/i;

/** The redacted form of a URL and the raw credential parts it hid. */
export interface URLScan {
  redacted: string;
  secrets: string[];
}

/**
 * Masks the credential parts of a URL, keeping what helps debugging (scheme,
 * host, port, path, the names of parameters): userinfo (`redis://:pw@h`
 * → `redis://:[REDACTED]@h`), sensitive query and fragment parameters
 * (`?key=…`), and the token path of known webhook URLs.
 */
export function scanURL(url: string): URLScan {
  const secrets: string[] = [];
  let out = url;
  const userinfo = URL_USERINFO.exec(out);
  if (userinfo) {
    const [whole, scheme, info] = userinfo as unknown as [string, string, string];
    const colon = info.indexOf(":");
    // `user:password@` keeps the user (handy to debug); a lone `token@` is the credential.
    const masked = colon >= 0 ? `${info.slice(0, colon)}:${REDACTED}` : REDACTED;
    const secret = colon >= 0 ? info.slice(colon + 1) : info;
    if (secret.length > 0) {
      secrets.push(secret, safeDecode(secret));
      out = `${scheme}${masked}@${out.slice(whole.length)}`;
    }
  }
  for (const pattern of WEBHOOK_PATHS) {
    const match = pattern.exec(out);
    if (match) {
      secrets.push(match[0].slice((match[1] as string).length));
      out = `${match[1]}${REDACTED}${out.slice(match[0].length)}`;
      break;
    }
  }
  out = out.replace(
    // The name excludes every separator, so each attempt stops at the next one: linear time.
    /([?#&;])([^=&#;?\s]+)=([^&#;\s]*)/g,
    (whole, sep: string, name: string, value: string) => {
      if (value === "" || !isSensitiveQueryParam(safeDecode(name))) return whole;
      secrets.push(value, safeDecode(value));
      return `${sep}${name}=${REDACTED}`;
    },
  );
  return { redacted: out, secrets: [...new Set(secrets)].filter((s) => s !== REDACTED) };
}

/** `scanURL(url).redacted`. */
export function redactURL(url: string): string {
  return scanURL(url).redacted;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

const KEY_SHAPES: RegExp[] = [
  /\b(sk-(?:ant-|proj-)?[A-Za-z0-9_-]{8,})/g, // OpenAI, Anthropic
  /\b(AIza[0-9A-Za-z_-]{20,})/g, // Google API keys
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // `key: value` pairs. The name must start a word (so a provider's error code
  // `invalid_api_key: Incorrect key` keeps its words) and the value must look
  // like a credential — 8+ characters with a digit — so prose survives. The
  // digit is looked for in the first 256 characters only: an unbounded look
  // ahead from every `token:` of a long `token:token:…` text is quadratic.
  /(\b(?:api[_-]?key|x-api-key|x-goog-api-key|authorization|token|password)["']?\s*[:=]\s*["']?)(?=[^\s"'&,}]{0,255}\d)[^\s"'&,}]{8,}/gi,
  // Header-shaped names (`X-Custom-Token: …`, `Ocp-Apim-Subscription-Key: …`), same value rule.
  // The match starts at the `-token` suffix, not at the name: a pattern that
  // spans the hyphenated name retries from every word of a long `a-b-c-…`
  // text, quadratic time on hostile input.
  /(-(?:key|token|secret|signature|password)["']?\s*[:=]\s*["']?)(?=[^\s"'&,}]{0,255}\d)[^\s"'&,}]{8,}/gi,
  // Sensitive query parameters anywhere in text (a URL quoted in a message).
  /([?&;](?:key|api[_-]?key|apikey|token|access_token|refresh_token|id_token|auth|auth_token|sig|signature|password|passwd|pwd|secret|client_secret|code|session|sessionid|credentials?|x-amz-signature|x-amz-credential|x-amz-security-token|private_token|[A-Za-z0-9_-]*[-_](?:key|token|secret|password|signature))=)[^&#\s"']+/gi,
  // URL userinfo: `scheme://user:password@` and `scheme://token@`. The
  // scheme is searched for by its `://` and its length bounded, so a long
  // `a.b.c…` text stays linear.
  /(\b[a-z][a-z0-9+.-]{0,31}:\/\/(?:[^\s/?#@:"']*:)?)[^\s/?#@:"']+(?=@)/gi,
  // Webhook URLs whose path is the credential.
  /(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)[^\s?#"']+/gi,
  /(https?:\/\/(?:[a-z]+\.)?discord(?:app)?\.com\/api\/webhooks\/[^\s/?#"']+\/)[^\s?#"']+/gi,
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function redactSecrets(text: string): string {
  let out = text;
  // Longest first, so a value that contains another is masked whole: the long values, then the pattern.
  for (const value of longValues) if (out.includes(value)) out = out.replaceAll(value, REDACTED);
  if (registered.size > longValues.length) {
    registeredPattern ??= new RegExp(
      [...registered]
        .filter((value) => value.length <= MAX_PATTERN_VALUE_LENGTH)
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join("|"),
      "g",
    );
    out = out.replace(registeredPattern, REDACTED);
  }
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, (match, prefix: string) =>
      match.startsWith(prefix) && prefix !== match ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSecretHeaderName(name) ? REDACTED : redactSecrets(value);
  }
  return out;
}
