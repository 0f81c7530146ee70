import { PluginLoadError } from "./plugin-errors.js";
import type { PluginDefinition } from "./plugin-types.js";

/**
 * Topological order by `dependencies`, keeping the configured order where
 * dependencies allow. Names a missing dependency or every plugin of a cycle.
 */
export function orderPlugins<P extends Pick<PluginDefinition, "name" | "dependencies">>(
  plugins: readonly P[],
): P[] {
  const byName = new Map(plugins.map((p) => [p.name, p]));
  for (const plugin of plugins) {
    for (const dependency of plugin.dependencies ?? []) {
      if (!byName.has(dependency)) {
        throw new PluginLoadError(
          "missing-dependency",
          [plugin.name, dependency],
          `Plugin "${plugin.name}" depends on "${dependency}", which is not in the plugin list`,
        );
      }
    }
  }
  const ordered: P[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (plugin: P, path: string[]) => {
    const seen = state.get(plugin.name);
    if (seen === "done") return;
    if (seen === "visiting") {
      const cycle = [...path.slice(path.indexOf(plugin.name)), plugin.name];
      throw new PluginLoadError(
        "cycle",
        [...new Set(cycle)],
        `Plugin dependencies form a cycle: ${cycle.join(" → ")}`,
      );
    }
    state.set(plugin.name, "visiting");
    for (const dependency of plugin.dependencies ?? [])
      visit(byName.get(dependency)!, [...path, plugin.name]);
    state.set(plugin.name, "done");
    ordered.push(plugin);
  };
  for (const plugin of plugins) visit(plugin, []);
  return ordered;
}
