export { buildClient, type ClientBuildContext } from "./build-client.js";
export { type CacheStoreContext, createCacheStore } from "./create-cache-store.js";
export { createFlightCoordinator } from "./create-flight-coordinator.js";
export {
  type ConfigLoadOptions,
  type CreateLLMContainerOptions,
  createLLMContainer,
  type LLMContainer,
} from "./create-llm-container.js";
export { EmbeddingClientFactory } from "./embedding-client-factory.js";
export { fallbackOrder } from "./fallback-order.js";
export {
  DEFAULT_PROVIDER_IMPORT_TIMEOUT_MS,
  installProviders,
  type ProviderImportOptions,
  providerPackage,
} from "./install-providers.js";
export { LLMClientFactory } from "./llm-client-factory.js";
export { cacheModule } from "./modules/cache-module.js";
export { clientsModule } from "./modules/clients-module.js";
export { configModule } from "./modules/config-module.js";
export { hooksModule } from "./modules/hooks-module.js";
export { memoryModule } from "./modules/memory-module.js";
export { pluginsModule } from "./modules/plugins-module.js";
export { poolModule } from "./modules/pool-module.js";
export { providersModule } from "./modules/providers-module.js";
export {
  isProviderConfigSettings,
  type ProviderConfigSettings,
  ProviderConfigSettingsCatalog,
} from "./provider-config-settings.js";
export { type ProviderReloadCheckOptions, providerReloadCheck } from "./provider-reload-check.js";
export { requestDefaultsMiddleware } from "./request-defaults.js";
export { TOKENS } from "./tokens.js";
