import { AuthenticationError } from "../errors/errors.js";
import { registerSecretValue } from "../redact.js";
import { revealSecret, type Secret } from "../secret.js";

export interface ReadAPIKeyOptions {
  provider: string;
  /** The key passed in settings; wins over the environment. */
  apiKey?: string | Secret | undefined;
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  /** Variables tried in order, e.g. `["OPENAI_API_KEY"]`. */
  envNames: readonly string[];
}

/**
 * The API key from settings or the environment. Throws `AuthenticationError`
 * naming the variables to set. The value is registered with the redactor so
 * it can never appear in an error or a log line.
 */
export function readAPIKey(options: ReadAPIKeyOptions): string {
  const given = revealSecret(options.apiKey)?.trim();
  if (given) {
    registerSecretValue(given);
    return given;
  }
  const env = options.env ?? process.env;
  for (const name of options.envNames) {
    const value = env[name]?.trim();
    if (value) {
      registerSecretValue(value);
      return value;
    }
  }
  const names = options.envNames.length > 0 ? options.envNames.join(" or ") : "an API key variable";
  throw new AuthenticationError(`No API key for ${options.provider}: set ${names} or pass apiKey`, {
    provider: options.provider,
  });
}
