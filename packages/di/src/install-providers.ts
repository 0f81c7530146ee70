import type { LLMConfig } from "@llm/config";
import {
  ConfigError,
  type ProviderDefinition,
  type ProviderRegistry,
  settleWithin,
} from "@llm/core";
import { importPluginModule, PluginLoadError } from "@llm/plugins";
import {
  isProviderConfigSettings,
  type ProviderConfigSettingsCatalog,
} from "./provider-config-settings.js";

/** The package that provides a provider type by convention. */
export const providerPackage = (type: string): string => `@llm/provider-${type}`;

/** Longest a provider package may take to import before it counts as failed. */
export const DEFAULT_PROVIDER_IMPORT_TIMEOUT_MS = 10_000;

export interface ProviderImportOptions {
  /** Where `@llm/provider-<type>` resolves from (as plugins do). */
  baseDir: string;
  /** Export conditions (Node's own `--conditions` are added). */
  conditions?: readonly string[];
  /** Filled with each imported package's `configSettings`. */
  catalog?: ProviderConfigSettingsCatalog;
  /** Default `DEFAULT_PROVIDER_IMPORT_TIMEOUT_MS`. */
  importTimeoutMs?: number;
  /** Stops waiting for imports (the import itself cannot be cancelled). */
  signal?: AbortSignal;
}

/** Why a provider type's package could not be installed. */
export interface ProviderImportFailure {
  /** True when no package of that name is installed where the config can see it. */
  missing: boolean;
  /** Says what to do; never quotes the package's source. */
  message: string;
}

/**
 * Imports and registers the provider package of every type the config uses
 * and the registry does not know yet, and records its `configSettings` (the
 * schema of `clients.<name>.providerSettings`) in `catalog`. A type that is
 * registered already is imported only when one of its clients has
 * `providerSettings` and no schema is known for it. Packages resolve as
 * plugins do (`importPluginModule`: from `baseDir`, with `conditions`), one
 * type at a time, each bounded by `importTimeoutMs`.
 *
 * Returns the types that could not be installed; never throws for one.
 */
export async function importProviders(
  registry: ProviderRegistry,
  config: Readonly<LLMConfig>,
  options: ProviderImportOptions,
): Promise<Map<string, ProviderImportFailure>> {
  const { catalog } = options;
  const clients = Object.values(config.clients);
  const wantsSettings = (type: string) =>
    catalog !== undefined &&
    !catalog.has(type) &&
    clients.some((c) => c.provider === type && c.providerSettings !== undefined);
  const failures = new Map<string, ProviderImportFailure>();
  for (const type of new Set(clients.map((c) => c.provider))) {
    const registered = registry.has(type);
    if (registered && !wantsSettings(type)) continue;
    let mod: Record<string, unknown>;
    try {
      mod = await importBounded(type, options);
    } catch (error) {
      const failure = describeFailure(type, error);
      // A type registered in code needs no package; without one it just has no schema.
      if (!(registered && failure.missing)) failures.set(type, failure);
      continue;
    }
    if (!registered) {
      const provider = mod.provider as ProviderDefinition | undefined;
      if (provider?.type !== type) {
        failures.set(type, {
          missing: false,
          message: `package ${providerPackage(type)} does not export a provider of type "${type}" as \`provider\``,
        });
        continue;
      }
      if (!registry.has(type)) registry.register(provider);
    }
    const settings = mod.configSettings;
    if (catalog && isProviderConfigSettings(settings) && settings.type === type)
      catalog.add(settings);
  }
  return failures;
}

/**
 * `importProviders` for the start of a container: a package that is not
 * installed is left out (resolving a client of that type then fails with a
 * `ConfigError` that gives the `pnpm add` to run); one that is installed and
 * fails to import is a `ConfigError` naming its clients.
 */
export async function installProviders(
  registry: ProviderRegistry,
  config: Readonly<LLMConfig>,
  baseDir: string,
  conditions: readonly string[] = [],
  catalog?: ProviderConfigSettingsCatalog,
): Promise<void> {
  const options = { baseDir, conditions, ...(catalog ? { catalog } : {}) };
  const failures = await importProviders(registry, config, options);
  // Missing packages are left out here, as documented: a client of that type fails when resolved.
  const issues = providerIssues(config, failures, () => false);
  if (issues.length > 0) {
    throw new ConfigError(`Provider packages failed to load: ${issues.length}`, { issues });
  }
}

/**
 * The issues (`clients.<name>.provider`) of every client whose type is in
 * `failures`; a type's missing package counts only when `reportMissing(type)`.
 */
export function providerIssues(
  config: Readonly<LLMConfig>,
  failures: ReadonlyMap<string, ProviderImportFailure>,
  reportMissing: (type: string) => boolean,
): { path: string; message: string }[] {
  return Object.entries(config.clients).flatMap(([name, client]) => {
    const failure = failures.get(client.provider);
    if (failure === undefined || (failure.missing && !reportMissing(client.provider))) return [];
    return [{ path: `clients.${name}.provider`, message: failure.message }];
  });
}

async function importBounded(
  type: string,
  options: ProviderImportOptions,
): Promise<Record<string, unknown>> {
  const limit = options.importTimeoutMs ?? DEFAULT_PROVIDER_IMPORT_TIMEOUT_MS;
  const name = providerPackage(type);
  const imported = importPluginModule(name, {
    baseDir: options.baseDir,
    conditions: options.conditions ?? [],
  });
  return settleWithin(imported, {
    timeoutMs: limit,
    onTimeout: () => {
      throw new ImportTimeout(
        `importing ${name} did not finish within ${limit} ms (option providerImportTimeoutMs)`,
      );
    },
    signal: options.signal,
    onAbort: () => {
      throw new ImportTimeout(`stopped waiting for ${name} to import`);
    },
  });
}

class ImportTimeout extends Error {}

function describeFailure(type: string, error: unknown): ProviderImportFailure {
  const name = providerPackage(type);
  if (error instanceof PluginLoadError && error.kind === "not-found") {
    return {
      missing: true,
      message: `provider "${type}" is not installed: run \`pnpm add ${name}\``,
    };
  }
  // importPluginModule fails with PluginLoadErrors only, whose messages never quote source;
  // the rest is our own ImportTimeout.
  // Its summary: the issue list its message ends with names the package path, not the client.
  if (error instanceof ConfigError) return { missing: false, message: error.summary };
  return { missing: false, message: (error as ImportTimeout).message };
}

/** The error for a client whose provider type is neither registered nor installed. */
export function missingProviderError(type: string, client: string, known: string[]): ConfigError {
  return new ConfigError(
    `Client "${client}" uses provider "${type}", which is not installed: run \`pnpm add ${providerPackage(type)}\` (registered providers: ${known.join(", ") || "none"})`,
    {
      issues: [
        { path: `clients.${client}.provider`, message: `provider "${type}" is not installed` },
      ],
    },
  );
}
