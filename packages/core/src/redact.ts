/**
 * Masks credentials in free text before it reaches an error message, a log
 * line or a cache entry. Two defences: values registered by `Secret` are
 * replaced wherever they occur, and well-known key shapes are masked even if
 * nobody registered them.
 */
const registered = new Set<string>();
let registeredPattern: RegExp | undefined;

/** Minimum length of a registered value: masking "a" everywhere would mangle text. */
const MIN_SECRET_LENGTH = 6;

export function registerSecretValue(value: string): void {
  if (value.length < MIN_SECRET_LENGTH || registered.has(value)) return;
  registered.add(value);
  registeredPattern = undefined;
}

const KEY_SHAPES: RegExp[] = [
  /\b(sk-(?:ant-|proj-)?[A-Za-z0-9_-]{8,})/g, // OpenAI, Anthropic
  /\b(AIza[0-9A-Za-z_-]{20,})/g, // Google API keys
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // `key: value` pairs. The name must start a word (so a provider's error code
  // `invalid_api_key: Incorrect key` keeps its words) and the value must look
  // like a credential — 8+ characters with a digit — so prose survives.
  /(\b(?:api[_-]?key|x-api-key|x-goog-api-key|authorization|token|password)["']?\s*[:=]\s*["']?)(?=[^\s"'&,}]*\d)[^\s"'&,}]{8,}/gi,
  /([?&](?:key|api_key|token)=)[^&\s"']+/gi,
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function redactSecrets(text: string): string {
  let out = text;
  if (registered.size > 0) {
    registeredPattern ??= new RegExp([...registered].map(escapeRegExp).join("|"), "g");
    out = out.replace(registeredPattern, "[REDACTED]");
  }
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, (match, prefix: string) =>
      match.startsWith(prefix) && prefix !== match ? `${prefix}[REDACTED]` : "[REDACTED]",
    );
  }
  return out;
}

/** Header names whose values are never logged or copied into errors. */
export const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "x-goog-api-key",
  "cookie",
  "set-cookie",
]);

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? "[REDACTED]" : redactSecrets(value);
  }
  return out;
}
