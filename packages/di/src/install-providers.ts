import { pathToFileURL } from "node:url";
import type { LLMConfig } from "@llm/config";
import { ConfigError, type ProviderDefinition, type ProviderRegistry } from "@llm/core";
import { resolvePluginModule } from "@llm/plugins";
import {
  isProviderConfigSettings,
  type ProviderConfigSettingsCatalog,
} from "./provider-config-settings.js";

/** The package that provides a provider type by convention. */
export const providerPackage = (type: string): string => `@llm/provider-${type}`;

/**
 * Imports and registers the provider package of every type the config uses
 * and the registry does not know yet, and records its `configSettings` (the
 * schema of `clients.<name>.providerSettings`) in `catalog`. A type that is
 * registered already is imported only when one of its clients has
 * `providerSettings` and no schema is known for it. A type whose package is
 * not installed is left out here; resolving a client of that type then fails
 * with a `ConfigError` that gives the `pnpm add` to run.
 */
export async function installProviders(
  registry: ProviderRegistry,
  config: Readonly<LLMConfig>,
  baseDir: string,
  conditions: readonly string[] = [],
  catalog?: ProviderConfigSettingsCatalog,
): Promise<void> {
  const clients = Object.values(config.clients);
  const types = new Set(clients.map((c) => c.provider));
  const wantsSettings = (type: string) =>
    catalog !== undefined &&
    !catalog.has(type) &&
    clients.some((c) => c.provider === type && c.providerSettings !== undefined);
  for (const type of types) {
    const registered = registry.has(type);
    if (registered && !wantsSettings(type)) continue;
    const mod = await importProvider(type, baseDir, conditions);
    if (mod === undefined) continue;
    if (!registered) {
      if (!mod.provider || mod.provider.type !== type) {
        throw new ConfigError(
          `Package ${providerPackage(type)} does not export a provider of type "${type}" as \`provider\``,
        );
      }
      if (!registry.has(type)) registry.register(mod.provider);
    }
    if (catalog && isProviderConfigSettings(mod.configSettings) && mod.configSettings.type === type)
      catalog.add(mod.configSettings);
  }
}

interface ProviderModule {
  provider?: ProviderDefinition;
  configSettings?: unknown;
}

async function importProvider(
  type: string,
  baseDir: string,
  conditions: readonly string[],
): Promise<ProviderModule | undefined> {
  let file: string;
  try {
    file = resolvePluginModule(providerPackage(type), {
      baseDir,
      conditions,
    });
  } catch {
    return undefined;
  }
  return (await import(pathToFileURL(file).href)) as ProviderModule;
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
