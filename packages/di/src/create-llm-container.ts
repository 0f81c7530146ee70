import "reflect-metadata";
import { dirname, resolve } from "node:path";
import type { CacheMiddleware } from "@llm/cache";
import { ConfigManager, loadConfig } from "@llm/config";
import { ConfigError, type ProviderDefinition, ProviderRegistry } from "@llm/core";
import type { PluginManager } from "@llm/plugins";
import { Container, type ServiceIdentifier } from "inversify";
import { createCacheStore } from "./create-cache-store.js";
import { createFlightCoordinator } from "./create-flight-coordinator.js";
import { createRateLimitStore } from "./create-rate-limit-store.js";
import type { EmbeddingClientFactory } from "./embedding-client-factory.js";
import type { LLMClientFactory } from "./llm-client-factory.js";
import { cacheModule } from "./modules/cache-module.js";
import { clientsModule } from "./modules/clients-module.js";
import { configModule } from "./modules/config-module.js";
import { hooksModule } from "./modules/hooks-module.js";
import { memoryModule } from "./modules/memory-module.js";
import { pluginsModule } from "./modules/plugins-module.js";
import { poolModule } from "./modules/pool-module.js";
import { providersModule } from "./modules/providers-module.js";
import { rateLimitModule } from "./modules/rate-limit-module.js";
import {
  type ProviderConfigSettings,
  ProviderConfigSettingsCatalog,
} from "./provider-config-settings.js";
import { providerReloadCheck } from "./provider-reload-check.js";
import { reportStoreState } from "./report-store-state.js";
import { TOKENS } from "./tokens.js";

export type ConfigLoadOptions = NonNullable<Parameters<typeof ConfigManager.load>[0]>;

export interface CreateLLMContainerOptions {
  /** A running `ConfigManager`, or how to load one (files, env, overrides, watch). */
  config?: ConfigManager | ConfigLoadOptions;
  /** Where plugin, provider and store packages and relative paths resolve from. Default: the first config file's folder, else the working directory. */
  baseDir?: string;
  /** Export conditions for those packages (Node's own `--conditions` are added). */
  conditions?: string[];
  registry?: ProviderRegistry;
  /** Provider definitions to register up front (else `@llm/provider-<type>` is imported on demand). */
  providers?: ProviderDefinition[];
  /**
   * Schemas of `clients.<name>.providerSettings` for providers registered in
   * code (a package's `configSettings` export); those of `@llm/provider-<type>`
   * packages are found on their own.
   */
  providerConfigSettings?: ProviderConfigSettings[];
  /**
   * Longest a provider package may take to import, at start and before a
   * reload that needs it is accepted; one that takes longer fails the start
   * or rejects the reload. Default 10 s; 0 (or `Infinity`) waits as long as
   * the import takes.
   */
  providerImportTimeoutMs?: number;
  /** Parent container, for per-tenant or per-test scopes. */
  parent?: Container;
  /** Last chance to rebind anything (tests: a fake transport) before clients are built. */
  configure?: (container: Container) => void | Promise<void>;
}

export interface LLMContainer {
  readonly container: Container;
  /** `clients.get("summarizer")` */
  readonly clients: LLMClientFactory;
  /** `embeddings.get("search")`: embeddings of a configured client whose provider has them. */
  readonly embeddings: EmbeddingClientFactory;
  get<T>(id: ServiceIdentifier<T>): T;
  /** A child container that sees every binding here and may override any (e.g. per tenant). */
  createChild(configure?: (child: Container) => void): Container;
  /** Stops plugins, closes pools, stores, timers and watchers. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * The composition root: config → registry → hooks → plugins → L2 store →
 * pool, memory, cache, rate-limit store → `LLMClientFactory`. Feature packages stay
 * decorator-free; only this package knows Inversify.
 */
export async function createLLMContainer(
  options: CreateLLMContainerOptions = {},
): Promise<LLMContainer> {
  const manager =
    options.config instanceof ConfigManager
      ? options.config
      : await ConfigManager.load(options.config ?? {});
  const ownsManager = !(options.config instanceof ConfigManager);
  const firstFile =
    options.config instanceof ConfigManager ? undefined : options.config?.files?.[0];
  const baseDir = options.baseDir ?? (firstFile ? dirname(resolve(firstFile)) : process.cwd());
  const conditions = options.conditions ?? [];

  const registry = options.registry ?? new ProviderRegistry();
  for (const definition of options.providers ?? []) {
    if (!registry.has(definition.type)) registry.register(definition);
  }

  const configSettings = new ProviderConfigSettingsCatalog();
  for (const settings of options.providerConfigSettings ?? []) configSettings.add(settings);

  const container = new Container(options.parent ? { parent: options.parent } : undefined);
  // Services that must wind down before the rest, whatever order Inversify
  // deactivates bindings in: plugins may still use hooks and the network, and
  // the cache's background L2 writes must land before the store closes.
  let plugins: PluginManager | undefined;
  let cache: CacheMiddleware | undefined;
  container.onActivation(TOKENS.CacheMiddleware, (_ctx, middleware) => {
    cache = middleware;
    return middleware;
  });
  let removeCheck: (() => void) | undefined;
  /** Stores made before a later start-up step failed: the container does not own them yet. */
  const notYetBound: Array<() => Promise<void>> = [];
  const disposeAll = async () => {
    removeCheck?.();
    await plugins?.stop();
    await cache?.flush();
    await container.unbindAllAsync();
    if (ownsManager) await manager.close();
  };
  try {
    // The provider packages the config needs are imported and the clients' settings
    // checked before the config runs: at start, and before every reload is accepted,
    // so a bad edit never reaches traffic (and the last good config stays).
    const checkProviders = providerReloadCheck({
      registry,
      catalog: configSettings,
      imports: {
        baseDir,
        conditions,
        ...(options.providerImportTimeoutMs === undefined
          ? {}
          : { importTimeoutMs: options.providerImportTimeoutMs }),
      },
      running: () => manager.get(),
    });
    const startIssues = await checkProviders(manager.get(), {
      signal: new AbortController().signal,
    });
    if (startIssues.length > 0) {
      // Loading the same files again with the issues gives them their file:line:col.
      if (!(options.config instanceof ConfigManager))
        await loadConfig({ ...options.config, checks: [() => startIssues] });
      throw new ConfigError(
        `Invalid configuration: ${startIssues.length} problem${startIssues.length === 1 ? "" : "s"}`,
        { issues: [...startIssues] },
      );
    }
    removeCheck = manager.addCheck(checkProviders);
    container.load(
      configModule(manager, baseDir),
      providersModule(registry, configSettings),
      hooksModule(),
      pluginsModule(conditions),
    );

    const hooks = container.get(TOKENS.Hooks);
    const offConfig = manager.onChange(({ changes }) => {
      hooks.notify("onConfigChange", { changes });
    });
    container.onDeactivation(TOKENS.Hooks, () => offConfig());

    plugins = container.get(TOKENS.PluginManager);
    const pluginSpecs = manager.get().plugins.map((p) => ({
      module: p.module,
      required: p.required,
      ...(p.name === undefined ? {} : { name: p.name }),
      ...(p.config === undefined ? {} : { config: p.config }),
    }));
    await plugins.load(pluginSpecs);
    await plugins.start();

    const l2 = manager.get().cache.l2;
    const store = await createCacheStore(l2, {
      baseDir,
      conditions,
      pluginStores: plugins.cacheStores,
      onStoreState: reportStoreState(hooks, l2.type),
    });
    if (store) notYetBound.push(() => store.close());
    const coordinator = await createFlightCoordinator(manager.get().cache, {
      baseDir,
      conditions,
    });
    if (coordinator?.close) notYetBound.push(() => coordinator.close?.() ?? Promise.resolve());
    // A ConfigError here (a TLS file of the rate-limit store) must not leave the
    // L2's open connections behind, keeping the process alive.
    const rateLimits = await createRateLimitStore(manager.get().rateLimits, {
      baseDir,
      conditions,
    });
    container.load(
      poolModule(),
      memoryModule(),
      cacheModule(store, coordinator),
      rateLimitModule(rateLimits),
      clientsModule(),
    );
    notYetBound.length = 0;
    await options.configure?.(container);
  } catch (error) {
    await Promise.all(notYetBound.map((close) => close().catch(() => undefined)));
    await disposeAll().catch(() => undefined);
    throw error;
  }

  let disposed: Promise<void> | undefined;
  return {
    container,
    get clients() {
      return container.get(TOKENS.LLMClientFactory);
    },
    get embeddings() {
      return container.get(TOKENS.EmbeddingClientFactory);
    },
    get: <T>(id: ServiceIdentifier<T>) => container.get(id),
    createChild(configure) {
      const child = new Container({ parent: container });
      configure?.(child);
      return child;
    },
    dispose() {
      disposed ??= disposeAll();
      return disposed;
    },
  };
}
