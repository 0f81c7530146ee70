import type { Middleware, ProviderDefinition } from "@llm/core";
import type { HookHandler, HookName, HookOptions } from "@llm/hooks";

/** The plugin API this host implements. A plugin declares the one it targets. */
export const PLUGIN_API_VERSION = 1;

/**
 * The Standard Schema v1 interface (zod 4, valibot, arktype implement it), so
 * a plugin can validate its config with any of them and this package depends
 * on none.
 */
export interface StandardSchemaV1<Output = unknown> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    validate(value: unknown): StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  };
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
      }>;
    };

export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A cache store factory a plugin contributes (`@llm/di` calls it with the `cache.l2` section). */
export type CacheStoreFactory = (options: Record<string, unknown>) => object | Promise<object>;

export interface PluginHooks {
  /** Like `Hooks.hook`; every registration is removed when the plugin is torn down. */
  hook<K extends HookName>(name: K, handler: HookHandler<K>, options?: HookOptions): () => void;
}

export interface PluginContext<Config = unknown> {
  readonly name: string;
  /** This plugin's config section, validated by its `configSchema`. */
  readonly config: Config;
  readonly logger: PluginLogger;
  readonly hooks: PluginHooks;
  /** Adds a middleware to every client the host builds; lower `order` is outer. Default 0. */
  addMiddleware(middleware: Middleware, options?: { order?: number }): void;
  /** Registers a provider type with the host's registry. */
  registerProvider(definition: ProviderDefinition): void;
  registerCacheStore(type: string, factory: CacheStoreFactory): void;
}

export interface PluginDefinition<Config = unknown> {
  /** Unique; other plugins name it in `dependencies`. */
  readonly name: string;
  readonly version: string;
  /** The plugin API it was written for; must equal `PLUGIN_API_VERSION`. */
  readonly apiVersion: number;
  /** Names of plugins that must be set up first. */
  readonly dependencies?: readonly string[];
  readonly configSchema?: StandardSchemaV1<Config>;
  setup(context: PluginContext<Config>): void | Promise<void>;
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
  teardown?(): void | Promise<void>;
}

/** What the config's `plugins` list names: a module to import, or (in code) a plugin object. */
export interface PluginSpec {
  /** A package name, or a file or directory path (relative to `baseDir`). */
  module?: string;
  /** A plugin given in code instead of a module. */
  plugin?: PluginDefinition;
  /** Expected plugin name; a mismatch is an error. */
  name?: string;
  /** A required plugin that fails stops the host instead of being disabled. */
  required?: boolean;
  config?: unknown;
}

export type PluginState = "loaded" | "setup" | "started" | "stopped" | "failed" | "disabled";

export interface PluginStatus {
  name: string;
  version: string;
  state: PluginState;
  required: boolean;
  /** Why it failed or was disabled. */
  error?: string;
}
