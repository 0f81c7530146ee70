export { consoleLogger } from "./console-logger.js";
export { definePlugin, isPluginDefinition } from "./define-plugin.js";
export { type ImportPluginModuleOptions, importPluginModule } from "./import-plugin-module.js";
export { orderPlugins } from "./order-plugins.js";
export { type PluginErrorKind, PluginLifecycleError, PluginLoadError } from "./plugin-errors.js";
export { PluginManager, type PluginManagerOptions } from "./plugin-manager.js";
export {
  type CacheStoreFactory,
  PLUGIN_API_VERSION,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  type PluginLogger,
  type PluginSpec,
  type PluginState,
  type PluginStatus,
  type StandardSchemaResult,
  type StandardSchemaV1,
} from "./plugin-types.js";
export {
  MAX_PACKAGE_JSON_BYTES,
  processConditions,
  type ResolveOptions,
  resolvePluginModule,
} from "./resolve-plugin-module.js";
