import { pathToFileURL } from "node:url";
import type { LLMConfig } from "@llm/config";
import { ConfigError, type ProviderDefinition, type ProviderRegistry } from "@llm/core";
import { resolvePluginModule } from "@llm/plugins";

/** The package that provides a provider type by convention. */
export const providerPackage = (type: string): string => `@llm/provider-${type}`;

/**
 * Imports and registers the provider package of every type the config uses
 * and the registry does not know yet. A type whose package is not installed
 * is left out here; resolving a client of that type then fails with a
 * `ConfigError` that gives the `pnpm add` to run.
 */
export async function installProviders(
  registry: ProviderRegistry,
  config: Readonly<LLMConfig>,
  baseDir: string,
  conditions: readonly string[] = [],
): Promise<void> {
  const types = new Set(Object.values(config.clients).map((c) => c.provider));
  for (const type of types) {
    if (registry.has(type)) continue;
    const definition = await importProvider(type, baseDir, conditions);
    if (definition && !registry.has(type)) registry.register(definition);
  }
}

async function importProvider(
  type: string,
  baseDir: string,
  conditions: readonly string[],
): Promise<ProviderDefinition | undefined> {
  let file: string;
  try {
    file = resolvePluginModule(providerPackage(type), {
      baseDir,
      conditions,
    });
  } catch {
    return undefined;
  }
  const mod = (await import(pathToFileURL(file).href)) as { provider?: ProviderDefinition };
  if (!mod.provider || mod.provider.type !== type) {
    throw new ConfigError(
      `Package ${providerPackage(type)} does not export a provider of type "${type}" as \`provider\``,
    );
  }
  return mod.provider;
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
