import { ConfigError } from "@llm/core";
import type { PluginDefinition } from "./plugin-types.js";

/** Runs the plugin's Standard Schema over its config section; lists every issue with its key path. */
export async function validatePluginConfig(
  plugin: PluginDefinition,
  raw: unknown,
): Promise<unknown> {
  if (!plugin.configSchema) return raw;
  const result = await plugin.configSchema["~standard"].validate(raw);
  if (result.issues === undefined) return result.value;
  throw new ConfigError(`Invalid config for plugin "${plugin.name}"`, {
    issues: result.issues.map((issue) => ({
      path: ["plugins", plugin.name, "config", ...(issue.path ?? []).map(segment)].join("."),
      message: issue.message,
    })),
  });
}

const segment = (s: PropertyKey | { readonly key: PropertyKey }): string =>
  String(typeof s === "object" && s !== null ? s.key : s);
