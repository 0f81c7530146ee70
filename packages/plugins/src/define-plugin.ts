import type { PluginDefinition } from "./plugin-types.js";

/** Identity function that gives a plugin object its types. */
export function definePlugin<Config = unknown>(
  plugin: PluginDefinition<Config>,
): PluginDefinition<Config> {
  return plugin;
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === "string" &&
    v.name.length > 0 &&
    typeof v.version === "string" &&
    typeof v.apiVersion === "number" &&
    typeof v.setup === "function"
  );
}
