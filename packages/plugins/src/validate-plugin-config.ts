import { ConfigError, isSecret, isSecretURL, redactSecrets } from "@llm/core";
import type { PluginDefinition } from "./plugin-types.js";

/**
 * Runs the plugin's Standard Schema over its config section; lists every
 * issue with its key path.
 *
 * The config arrives with credential-looking values already wrapped
 * (`Secret`, `SecretURL`). The schema sees them unwrapped, so it can type
 * them as it likes; a field the schema declares secret (by transforming it
 * into a `Secret` / `SecretURL`, e.g. with `secret()` / `secretURL()` from
 * `@llm/config`) reaches the plugin wrapped again. Issue messages may quote
 * the value they reject, so they are redacted.
 */
export async function validatePluginConfig(
  plugin: PluginDefinition,
  raw: unknown,
): Promise<unknown> {
  if (!plugin.configSchema) return raw;
  const result = await plugin.configSchema["~standard"].validate(unwrapSecrets(raw));
  if (result.issues === undefined) return result.value;
  throw new ConfigError(`Invalid config for plugin "${plugin.name}"`, {
    issues: result.issues.map((issue) => ({
      path: ["plugins", plugin.name, "config", ...(issue.path ?? []).map(segment)].join("."),
      message: redactSecrets(issue.message),
    })),
  });
}

const segment = (s: PropertyKey | { readonly key: PropertyKey }): string =>
  String(typeof s === "object" && s !== null ? s.key : s);

/** A copy of plain data with `Secret`s and `SecretURL`s replaced by their values. */
function unwrapSecrets(value: unknown): unknown {
  if (isSecret(value) || isSecretURL(value)) return value.reveal();
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unwrapSecrets(v);
    return out;
  }
  return value;
}
