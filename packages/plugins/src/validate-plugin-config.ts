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
  const result: unknown = await plugin.configSchema["~standard"].validate(unwrapSecrets(raw));
  const where = `plugins.${plugin.name}.config`;
  // The schema is the plugin's code: its answer is checked like any outside input.
  if (result === null || typeof result !== "object") {
    throw new ConfigError(`The config schema of plugin "${plugin.name}" answered no result`, {
      issues: [{ path: where, message: "the schema's validate() returned no result object" }],
    });
  }
  const { issues, value } = result as { issues?: unknown; value?: unknown };
  if (issues === undefined) return value;
  if (!Array.isArray(issues) || issues.length === 0) {
    throw new ConfigError(`Invalid config for plugin "${plugin.name}"`, {
      issues: [{ path: where, message: "the schema reported issues without listing them" }],
    });
  }
  throw new ConfigError(`Invalid config for plugin "${plugin.name}"`, {
    issues: issues.map((issue: unknown) => readIssue(issue, where)),
  });
}

/** One Standard Schema issue as a config issue; a malformed one still names the plugin's config. */
function readIssue(issue: unknown, where: string): { path: string; message: string } {
  const { message, path } = (issue ?? {}) as { message?: unknown; path?: unknown };
  const segments = Array.isArray(path) ? path.map(segment) : [];
  return {
    path: [where, ...segments].join("."),
    message: typeof message === "string" ? redactSecrets(message) : "invalid",
  };
}

/** A path segment: a key, or `{ key }`; anything else (a prototype-less object) by kind, never a throw. */
const segment = (s: unknown): string => {
  const key = typeof s === "object" && s !== null ? (s as { key?: unknown }).key : s;
  return typeof key === "string" || typeof key === "number" || typeof key === "symbol"
    ? String(key)
    : typeof key;
};

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
