export { checkProviderSettings } from "./check-provider-settings.js";
export {
  type ConfigChangeEvent,
  type ConfigChangeListener,
  type ConfigErrorListener,
  ConfigManager,
  type ConfigManagerOptions,
} from "./config-manager.js";
export { type ConfigChange, diffConfig } from "./diff.js";
export { collectEnvOverrides, DEFAULT_ENV_PREFIX, type EnvOverride } from "./env-overrides.js";
export { type Env, interpolateString } from "./interpolate.js";
export {
  type BuildOptions,
  type ConfigCheck,
  type ConfigSourceText,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  parseConfigText,
  type ReloadCheck,
  type ReloadCheckContext,
} from "./load-config.js";
export type { DeepPartial } from "./merge.js";
export {
  MAX_PROVIDER_SETTINGS_DEPTH,
  MAX_PROVIDER_SETTINGS_KEY_LENGTH,
  MAX_PROVIDER_SETTINGS_KEYS,
  MAX_PROVIDER_SETTINGS_STRING_LENGTH,
  type ProviderSettingsConfig,
  providerSettingsSchema,
} from "./provider-settings.js";
export {
  BUILT_IN_SECTIONS,
  type CacheConfig,
  type CircuitBreakerConfig,
  type ClientCacheConfig,
  type ClientConfig,
  type ClientParams,
  type ClientRateLimitConfig,
  type CoalesceConfig,
  cacheSchema,
  circuitBreakerSchema,
  clientCacheSchema,
  clientRateLimitSchema,
  clientSchema,
  coalesceSchema,
  configSchema,
  findFallbackCycles,
  type HooksConfig,
  hooksSchema,
  type L2CacheConfig,
  type LimitsConfig,
  type LLMConfig,
  type LLMConfigInput,
  limitsSchema,
  MAX_TLS_KEY_LENGTH,
  MAX_TLS_SETTING_LENGTH,
  type MemoryConfig,
  memorySchema,
  type PluginEntry,
  type PoolConfig,
  pluginEntrySchema,
  poolSchema,
  type RateLimitsConfig,
  type RedisTLSConfig,
  type RetriesConfig,
  rateLimitsSchema,
  redisTLSSchema,
  retriesSchema,
  type TimeoutsConfig,
  timeoutsSchema,
} from "./schema.js";
export {
  headers,
  isSecretKey,
  redactValue,
  type SecretizeOptions,
  type SecretURLOptions,
  secret,
  secretizeUnknown,
  secretURL,
} from "./secrets.js";
export {
  type AnyConfigSection,
  type ConfigSection,
  type ConfigWith,
  defineConfigSection,
  extendSchema,
  readSection,
  type SectionsOutput,
} from "./sections.js";
export { type ConfigFormat, parseSourceDocument } from "./source-document.js";
export {
  boolish,
  duration,
  formatBytes,
  formatDuration,
  numeric,
  parseDuration,
  parseSize,
  size,
} from "./units.js";
