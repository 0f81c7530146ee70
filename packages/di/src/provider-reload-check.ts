import type { LLMConfig, ReloadCheck } from "@llm/config";
import type { ProviderRegistry } from "@llm/core";
import {
  importProviders,
  type ProviderImportOptions,
  providerIssues,
} from "./install-providers.js";
import type { ProviderConfigSettingsCatalog } from "./provider-config-settings.js";

export interface ProviderReloadCheckOptions {
  registry: ProviderRegistry;
  catalog: ProviderConfigSettingsCatalog;
  /** Where and how provider packages resolve: the container's `baseDir` and `conditions`. */
  imports: Pick<ProviderImportOptions, "baseDir" | "conditions" | "importTimeoutMs">;
  /** The config running now: a type it already uses may stay uninstalled. */
  running: () => Readonly<LLMConfig>;
}

/**
 * What a config must pass before it may run: every provider package its
 * clients need is imported first (as at start: `importProviders`), then each
 * client's `providerSettings` is checked against its provider's schema. So a
 * reload that brings a new provider type is rejected — not accepted and
 * failing at that client's first call — when its package is not installed,
 * fails to import, does not answer within the import bound, or finds the
 * settings invalid. A type the running config already uses without its
 * package (left out at start) does not block other edits.
 */
export function providerReloadCheck(options: ProviderReloadCheckOptions): ReloadCheck {
  const { registry, catalog } = options;
  const checkSettings = catalog.configCheck((type) => registry.has(type));
  return async (config, { signal }) => {
    const failures = await importProviders(registry, config, {
      ...options.imports,
      catalog,
      signal,
    });
    const running = new Set(Object.values(options.running().clients).map((c) => c.provider));
    return [
      ...providerIssues(config, failures, (type) => !running.has(type)),
      ...checkSettings(config),
    ];
  };
}
