import { isSecret, SECRET_HEADERS, Secret } from "@llm/core";
import { z } from "zod";
import { isPlainObject } from "./merge.js";

/**
 * Credentials become `Secret`s at the schema boundary, so everything
 * downstream (logs, errors, JSON dumps, change lists) sees `[REDACTED]`.
 */

/** Field names that hold credentials: `apiKey`, `token`, `password`, `secret` and any `…Key`. */
export function isSecretKey(name: string): boolean {
  return (
    /^(api[_-]?key|token|password|passwd|secret|client[_-]?secret)$/i.test(name) ||
    /[a-z0-9]Key$/.test(name) ||
    /_key$/i.test(name)
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

/**
 * Walks free-form data (plugin config, extra params) and wraps strings held
 * under credential-like keys in `Secret`, so a plugin's `token` is as safe as
 * a client's `apiKey` even though no schema named it.
 */
export function secretizeUnknown(value: unknown, key = ""): unknown {
  if (typeof value === "string" && key !== "" && isSecretKey(key)) return new Secret(value);
  if (Array.isArray(value)) return value.map((item) => secretizeUnknown(item));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = secretizeUnknown(v, k);
    return out;
  }
  return value;
}

/** HTTP headers; credential headers (`authorization`, `x-api-key`, …) become `Secret`s. */
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
        else if (SECRET_HEADERS.has(name.toLowerCase()) || isSecretKey(name))
          out[name] = new Secret(String(value));
        else out[name] = String(value);
      }
      return out;
    }) as unknown as z.ZodType<
    Record<string, string | Secret>,
    Record<string, string | number | Secret>
  >;
}

/** Any value with `Secret`s replaced by `"[REDACTED]"` (for change lists and reports). */
export function redactValue(value: unknown): unknown {
  if (isSecret(value)) return "[REDACTED]";
  if (Array.isArray(value)) return value.map(redactValue);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v);
    return out;
  }
  return value;
}
