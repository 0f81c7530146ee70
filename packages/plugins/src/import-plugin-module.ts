import { pathToFileURL } from "node:url";
import { describeImportFailure } from "./describe-import-failure.js";
import { PluginLoadError } from "./plugin-errors.js";
import { type ResolveOptions, resolvePluginModule } from "./resolve-plugin-module.js";

export interface ImportPluginModuleOptions extends ResolveOptions {
  /** Who the module is for, as named in the error (`plugins.<name>`); default the specifier. */
  name?: string;
}

/**
 * Resolves `specifier` as `resolvePluginModule` does (from `baseDir`, with the
 * export conditions Node uses) and imports it: the one way plugins, provider
 * packages and stores named in a config are loaded. Fails with a
 * `PluginLoadError`: `"not-found"` when nothing by that name is installed
 * where `baseDir` can see, `"invalid-module"` when it is there but does not
 * import (described without quoting its source, see `describeImportFailure`).
 */
export async function importPluginModule(
  specifier: string,
  options: ImportPluginModuleOptions,
): Promise<Record<string, unknown>> {
  const file = resolvePluginModule(specifier, options);
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const failure = describeImportFailure(error, file);
    throw new PluginLoadError(
      "invalid-module",
      [options.name ?? specifier],
      `Module "${specifier}" (${file}) failed to import: ${failure.reason}`,
      failure.cause,
    );
  }
}
