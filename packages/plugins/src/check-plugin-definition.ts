import { kindOf } from "@llm/core";
import { PluginLoadError } from "./plugin-errors.js";
import type { PluginDefinition } from "./plugin-types.js";

/**
 * Checks the optional fields of a plugin that passed `isPluginDefinition`: a
 * module is outside input, and a `dependencies: {}` or `stop: 5` would
 * otherwise fail later as a raw TypeError (`object is not iterable`) from
 * ordering or from the lifecycle. Names the plugin and the field, never a value.
 */
export function checkPluginDefinition(definition: PluginDefinition): void {
  const problem = definitionProblem(definition as unknown as Record<string, unknown>);
  if (problem !== undefined) {
    throw new PluginLoadError(
      "invalid-module",
      [definition.name],
      `Plugin "${definition.name}": ${problem}`,
    );
  }
}

function definitionProblem(d: Record<string, unknown>): string | undefined {
  const { dependencies, configSchema } = d;
  if (dependencies !== undefined) {
    if (!Array.isArray(dependencies)) {
      return `dependencies: expected an array of plugin names, got ${kindOf(dependencies)}`;
    }
    const index = dependencies.findIndex((n) => typeof n !== "string" || n.length === 0);
    if (index !== -1) {
      return `dependencies[${index}]: expected a plugin name, got ${kindOf(dependencies[index])}`;
    }
  }
  if (configSchema !== undefined) {
    const standard = isObject(configSchema) ? configSchema["~standard"] : undefined;
    if (!isObject(standard) || typeof standard.validate !== "function") {
      return "configSchema: expected a Standard Schema (an object with ~standard.validate)";
    }
  }
  for (const field of ["start", "stop", "teardown"] as const) {
    if (d[field] !== undefined && typeof d[field] !== "function") {
      return `${field}: expected a function, got ${kindOf(d[field])}`;
    }
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return (typeof v === "object" || typeof v === "function") && v !== null;
}
