import { ConfigError } from "../errors/errors.js";
import type { JsonValue } from "../json.js";
import type { ChatRequest } from "../request.js";

/** Every key `readRequestDefaults` knows, in the order its error message lists them. */
export const REQUEST_DEFAULT_KEYS = [
  "temperature",
  "topP",
  "topK",
  "maxTokens",
  "seed",
  "frequencyPenalty",
  "presencePenalty",
  "stop",
] as const;

export type RequestDefaultKey = (typeof REQUEST_DEFAULT_KEYS)[number];

/**
 * The request fields `settings.defaults` may set; a provider sends each one a
 * request leaves undefined. Which of them a provider accepts is its own list.
 */
export type RequestDefaults = Pick<ChatRequest, RequestDefaultKey>;

/**
 * Validates `settings.defaults` once, when a client is created: they usually
 * come from a config file, where `temperature: "0.5"` is an easy mistake the
 * API would only reject at the first call (or, for `NaN`, silently ignore as
 * `null`). Every unknown key (not in `allowed`) and every wrong type is listed
 * in ONE `ConfigError` naming the key, e.g. `defaults.temperature`.
 */
export function readRequestDefaults<K extends RequestDefaultKey = RequestDefaultKey>(
  provider: string,
  defaults: Record<string, JsonValue>,
  allowed: readonly K[] = REQUEST_DEFAULT_KEYS as readonly RequestDefaultKey[] as readonly K[],
): Pick<RequestDefaults, K> {
  const out: RequestDefaults = {};
  const issues: Array<{ path: string; message: string }> = [];
  for (const [key, value] of Object.entries(defaults)) {
    if (!(allowed as readonly string[]).includes(key)) {
      issues.push({
        path: `defaults.${key}`,
        message: `unknown default (known: ${allowed.join(", ")})`,
      });
    } else if (key === "stop") {
      if (Array.isArray(value) && value.every((v): v is string => typeof v === "string"))
        out.stop = value;
      else issues.push({ path: "defaults.stop", message: "must be an array of strings" });
    } else if (typeof value === "number" && Number.isFinite(value)) {
      out[key as Exclude<RequestDefaultKey, "stop">] = value;
    } else {
      issues.push({ path: `defaults.${key}`, message: "must be a number" });
    }
  }
  if (issues.length > 0) {
    throw new ConfigError(`Invalid defaults for provider "${provider}"`, { provider, issues });
  }
  return out;
}
