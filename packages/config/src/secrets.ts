import { isSecret, isSecretHeaderName, isSecretURL, Secret, SecretURL, scanURL } from "@llm/core";
import { z } from "zod";
import { isPlainObject } from "./merge.js";

/**
 * Credentials become `Secret`s (and URLs `SecretURL`s) at the schema
 * boundary, so everything downstream (logs, errors, JSON dumps, change
 * lists) sees `[REDACTED]` while the code that calls out can `reveal()`.
 */

/**
 * Field names that hold credentials: `apiKey`, `token`, `password`, `secret`,
 * any `…Key`, and the names of settings that are credentials whole (`dsn`,
 * `webhookUrl`, `connectionString`, `credentials`).
 */
export function isSecretKey(name: string): boolean {
  return (
    /^(api[_-]?key|token|password|passwd|secret|client[_-]?secret)$/i.test(name) ||
    /^(dsn|webhook(?:[_-]?url)?|connection[_-]?string|credentials?)$/i.test(name) ||
    /[a-z0-9](?:Key|Token|Secret|Password)$/.test(name) ||
    /_(?:key|token|secret|password)$/i.test(name)
  );
}

/** A credential: a non-empty string (or number, from an env reference) turned into a `Secret`. */
export function secret(): z.ZodType<Secret, string | number | Secret> {
  return z.union([z.string(), z.number(), z.instanceof(Secret)]).transform((value, ctx) => {
    if (isSecret(value)) return value;
    const text = String(value);
    if (text.length === 0) {
      ctx.addIssue({ code: "custom", message: "is empty" });
      return z.NEVER;
    }
    return new Secret(text);
  }) as unknown as z.ZodType<Secret, string | number | Secret>;
}

export interface SecretURLOptions {
  /**
   * Accept any non-empty string, not only an absolute URL (a Redis
   * connection string may be a socket path). Default false.
   */
  anyString?: boolean;
}

/**
 * A URL that may carry a credential (userinfo, `?key=`, a webhook token)
 * turned into a `SecretURL`: it prints redacted, `reveal()` gives the URL.
 * Use it for every URL a plugin's or section's schema takes. A URL that does
 * not parse is reported without quoting it.
 */
export function secretURL(
  options: SecretURLOptions = {},
): z.ZodType<SecretURL, string | SecretURL> {
  return z.union([z.string(), z.instanceof(SecretURL)]).transform((value, ctx) => {
    if (isSecretURL(value)) return value;
    if (value.trim().length === 0) {
      ctx.addIssue({ code: "custom", message: "is empty" });
      return z.NEVER;
    }
    if (options.anyString !== true && !URL.canParse(value)) {
      // Registering first keeps the credential parts of a malformed URL out of later messages too.
      new SecretURL(value);
      ctx.addIssue({ code: "custom", message: "is not a valid absolute URL" });
      return z.NEVER;
    }
    return new SecretURL(value);
  }) as unknown as z.ZodType<SecretURL, string | SecretURL>;
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

export interface SecretizeOptions {
  /**
   * Also wrap URLs that carry a credential (userinfo, a sensitive query
   * parameter, a webhook token) in `SecretURL`. On for plugin settings, which
   * the plugin reads with `reveal()`; off for client `params`, which are sent
   * to the provider as they are.
   */
  urls?: boolean;
}

/**
 * Walks free-form data (plugin config, extra params) and wraps what is a
 * credential even though no schema named it: strings under credential-like
 * keys become `Secret`s and, with `urls`, URLs that carry a credential
 * become `SecretURL`s.
 */
export function secretizeUnknown(
  value: unknown,
  key = "",
  options: SecretizeOptions = {},
): unknown {
  if (typeof value === "string") {
    if (key !== "" && isSecretKey(key)) return new Secret(value);
    if (options.urls === true && URL_LIKE.test(value) && scanURL(value).secrets.length > 0)
      return new SecretURL(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => secretizeUnknown(item, "", options));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = secretizeUnknown(v, k, options);
    return out;
  }
  return value;
}

/**
 * HTTP headers; credential headers (`authorization`, `cookie`, `x-api-key`,
 * any `*-key`, `*-token`, `*-secret`, …) become `Secret`s.
 */
export function headers(): z.ZodType<
  Record<string, string | Secret>,
  Record<string, string | number | Secret>
> {
  return z
    .record(z.string(), z.union([z.string(), z.number(), z.instanceof(Secret)]))
    .transform((record) => {
      const out: Record<string, string | Secret> = {};
      for (const [name, value] of Object.entries(record)) {
        if (isSecret(value)) out[name] = value;
        else if (isSecretHeaderName(name) || isSecretKey(name))
          out[name] = new Secret(String(value));
        else out[name] = String(value);
      }
      return out;
    }) as unknown as z.ZodType<
    Record<string, string | Secret>,
    Record<string, string | number | Secret>
  >;
}

/** Any value with `Secret`s replaced by `"[REDACTED]"` and `SecretURL`s by their redacted form. */
export function redactValue(value: unknown): unknown {
  if (isSecret(value)) return "[REDACTED]";
  if (isSecretURL(value)) return value.redacted;
  if (Array.isArray(value)) return value.map(redactValue);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v);
    return out;
  }
  return value;
}
