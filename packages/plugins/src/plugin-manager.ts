import { ConfigError, type LLMError, type Middleware, type ProviderRegistry } from "@llm/core";
import type { Hooks } from "@llm/hooks";
import { checkPluginDefinition } from "./check-plugin-definition.js";
import { consoleLogger } from "./console-logger.js";
import { isPluginDefinition } from "./define-plugin.js";
import { importPluginModule } from "./import-plugin-module.js";
import { orderPlugins } from "./order-plugins.js";
import { PluginLifecycleError, PluginLoadError } from "./plugin-errors.js";
import {
  type CacheStoreFactory,
  PLUGIN_API_VERSION,
  type PluginContext,
  type PluginDefinition,
  type PluginLogger,
  type PluginSpec,
  type PluginState,
  type PluginStatus,
} from "./plugin-types.js";
import { validatePluginConfig } from "./validate-plugin-config.js";

export interface PluginManagerOptions {
  hooks: Hooks;
  /** Where `ctx.registerProvider` registers; without one that call throws. */
  registry?: ProviderRegistry;
  /** Folder that relative plugin paths and package names resolve from. Default: `process.cwd()`. */
  baseDir?: string;
  /** Extra export conditions for resolving plugin packages (Node's own `--conditions` always apply). */
  conditions?: string[];
  /** Default timeout of hooks that plugins register. Default 5 s: a hanging plugin must not hang requests. */
  hookTimeoutMs?: number;
  logger?: (pluginName: string) => PluginLogger;
  /**
   * Every isolated lifecycle failure (setup, start, stop, teardown). Failures
   * of plugins' hook handlers are reported by `hooks.onHandlerError`.
   */
  onError?: (error: LLMError) => void;
}

interface Entry {
  definition: PluginDefinition;
  required: boolean;
  rawConfig: unknown;
  state: PluginState;
  error?: string;
  disposers: Array<() => void>;
  middlewares: Array<{ middleware: Middleware; order: number; seq: number }>;
}

/**
 * Loads plugins the config names, orders them by dependency, and runs their
 * lifecycle: setup → start → stop → teardown (stop and teardown in reverse).
 * A plugin that fails is reported and disabled — with everything that
 * depends on it — and the others carry on, unless it is `required`.
 */
export class PluginManager {
  readonly #options: PluginManagerOptions;
  #entries: Entry[] = [];
  readonly #cacheStores = new Map<string, CacheStoreFactory>();
  #middlewareSeq = 0;
  #started = false;

  constructor(options: PluginManagerOptions) {
    this.#options = options;
  }

  /** Imports and validates plugins, then orders them. Structural errors throw `PluginLoadError`. */
  async load(items: ReadonlyArray<PluginSpec | PluginDefinition>): Promise<void> {
    const loaded: Entry[] = [...this.#entries];
    for (const item of items) {
      const spec: PluginSpec = isPluginDefinition(item) ? { plugin: item } : item;
      const definition = spec.plugin ?? (await this.#import(spec));
      if (spec.name !== undefined && spec.name !== definition.name) {
        throw new PluginLoadError(
          "name-mismatch",
          [spec.name, definition.name],
          `Plugin module "${spec.module ?? definition.name}" defines "${definition.name}", but the config expects "${spec.name}"`,
        );
      }
      if (loaded.some((e) => e.definition.name === definition.name)) {
        throw new PluginLoadError(
          "duplicate",
          [definition.name],
          `Plugin "${definition.name}" is listed twice`,
        );
      }
      if (definition.apiVersion !== PLUGIN_API_VERSION) {
        throw new PluginLoadError(
          "api-version",
          [definition.name],
          `Plugin "${definition.name}" targets plugin API ${definition.apiVersion}; this host implements API ${PLUGIN_API_VERSION}`,
        );
      }
      checkPluginDefinition(definition);
      loaded.push({
        definition,
        required: spec.required ?? false,
        rawConfig: spec.config,
        state: "loaded",
        disposers: [],
        middlewares: [],
      });
    }
    const order = orderPlugins(loaded.map((e) => e.definition));
    this.#entries = order.map((d) => loaded.find((e) => e.definition === d)!);
  }

  /** Sets up every loaded plugin in dependency order, then starts them. */
  async start(): Promise<void> {
    for (const entry of this.#entries) {
      if (entry.state !== "loaded") continue;
      const brokenDependency = (entry.definition.dependencies ?? []).find((name) => {
        const dependency = this.#entries.find((e) => e.definition.name === name);
        return dependency?.state === "failed" || dependency?.state === "disabled";
      });
      if (brokenDependency !== undefined) {
        entry.state = "disabled";
        entry.error = `dependency "${brokenDependency}" failed`;
        this.#logger(entry.definition.name).warn(`disabled: ${entry.error}`);
        if (entry.required) await this.#abort(entry, "setup", new Error(entry.error));
        continue;
      }
      try {
        const config = await validatePluginConfig(entry.definition, entry.rawConfig);
        await entry.definition.setup(this.#context(entry, config));
        entry.state = "setup";
      } catch (error) {
        await this.#fail(entry, "setup", error);
      }
    }
    for (const entry of this.#entries) {
      if (entry.state !== "setup") continue;
      try {
        await entry.definition.start?.();
        entry.state = "started";
      } catch (error) {
        await this.#fail(entry, "start", error);
      }
    }
    this.#started = true;
  }

  /** Stops and tears down, in reverse order, everything that was set up. Never throws. */
  async stop(): Promise<void> {
    const reversed = [...this.#entries].reverse();
    for (const entry of reversed) {
      if (entry.state !== "started") continue;
      try {
        await entry.definition.stop?.();
      } catch (error) {
        this.#report(new PluginLifecycleError(entry.definition.name, "stop", error));
      }
    }
    for (const entry of reversed) {
      if (entry.state !== "started" && entry.state !== "setup") continue;
      await this.#teardown(entry);
      entry.state = "stopped";
    }
    this.#started = false;
  }

  get started(): boolean {
    return this.#started;
  }

  /** Middlewares contributed by running plugins, outermost first. */
  middlewares(): Middleware[] {
    return this.#entries
      .filter((e) => e.state === "setup" || e.state === "started")
      .flatMap((e) => e.middlewares)
      .sort((a, b) => a.order - b.order || a.seq - b.seq)
      .map((m) => m.middleware);
  }

  get cacheStores(): ReadonlyMap<string, CacheStoreFactory> {
    return this.#cacheStores;
  }

  status(): PluginStatus[] {
    return this.#entries.map((e) => ({
      name: e.definition.name,
      version: e.definition.version,
      state: e.state,
      required: e.required,
      ...(e.error === undefined ? {} : { error: e.error }),
    }));
  }

  async #import(spec: PluginSpec): Promise<PluginDefinition> {
    if (spec.module === undefined) {
      throw new PluginLoadError(
        "invalid-module",
        [spec.name ?? "?"],
        "A plugin spec needs `module` or `plugin`",
      );
    }
    const mod = await importPluginModule(spec.module, {
      baseDir: this.#options.baseDir ?? process.cwd(),
      conditions: this.#options.conditions ?? [],
      name: spec.name ?? spec.module,
    });
    const candidate = mod.default ?? mod.plugin;
    const definition =
      typeof candidate === "function" ? await (candidate as () => unknown)() : candidate;
    if (!isPluginDefinition(definition)) {
      throw new PluginLoadError(
        "invalid-module",
        [spec.name ?? spec.module],
        `Plugin module "${spec.module}" must export a plugin (name, version, apiVersion, setup) as "default" or "plugin"`,
      );
    }
    return definition;
  }

  #context(entry: Entry, config: unknown): PluginContext {
    const name = entry.definition.name;
    const { hooks, registry } = this.#options;
    return {
      name,
      config,
      logger: this.#logger(name),
      hooks: {
        hook: (hookName, handler, options = {}) => {
          const dispose = hooks.hook(hookName, handler, {
            timeoutMs: this.#options.hookTimeoutMs ?? 5_000,
            ...options,
            name: options.name ?? `${name}:${hookName}`,
          });
          entry.disposers.push(dispose);
          return dispose;
        },
      },
      addMiddleware: (middleware, options = {}) => {
        entry.middlewares.push({
          middleware,
          order: options.order ?? 0,
          seq: this.#middlewareSeq++,
        });
      },
      registerProvider: (definition) => {
        if (!registry) {
          throw new PluginLoadError(
            "setup",
            [name],
            `Plugin "${name}" registers a provider, but the host has no registry`,
          );
        }
        entry.disposers.push(registry.register(definition));
      },
      registerCacheStore: (type, factory) => {
        if (this.#cacheStores.has(type)) {
          throw new PluginLoadError(
            "duplicate",
            [name],
            `Cache store type "${type}" is already registered`,
          );
        }
        this.#cacheStores.set(type, factory);
        entry.disposers.push(() => this.#cacheStores.delete(type));
      },
    };
  }

  /** A failed plugin is torn down at once (it may have half set up) and disabled. */
  async #fail(entry: Entry, phase: "setup" | "start", error: unknown): Promise<void> {
    // A config validation error is already precise (key paths); anything else is wrapped with the phase.
    const failure =
      error instanceof ConfigError
        ? error
        : new PluginLifecycleError(entry.definition.name, phase, error);
    entry.state = "failed";
    entry.error = failure.message;
    await this.#teardown(entry);
    this.#report(failure);
    if (entry.required) await this.#abort(entry, phase, failure);
  }

  async #abort(entry: Entry, phase: "setup" | "start", cause: unknown): Promise<never> {
    await this.stop();
    throw cause instanceof PluginLifecycleError || cause instanceof ConfigError
      ? cause
      : new PluginLifecycleError(entry.definition.name, phase, cause);
  }

  async #teardown(entry: Entry): Promise<void> {
    for (const dispose of entry.disposers.splice(0).reverse()) dispose();
    entry.middlewares = [];
    try {
      await entry.definition.teardown?.();
    } catch (error) {
      this.#report(new PluginLifecycleError(entry.definition.name, "teardown", error));
    }
  }

  #report(error: LLMError): void {
    const plugin = error instanceof PluginLifecycleError ? error.plugin : "plugins";
    this.#logger(plugin).error(error.message);
    this.#options.onError?.(error);
  }

  #logger(name: string): PluginLogger {
    return this.#options.logger?.(name) ?? consoleLogger(`plugin:${name}`);
  }
}
