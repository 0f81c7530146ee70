import type { CacheClientOptions } from "@llm/cache";
import type { CacheConfig, ClientCacheConfig } from "@llm/config";

/**
 * The cache settings of one client: its own `clients.<name>.cache` over the
 * global `cache` section. `undefined` when the client is not cached
 * (`cache: false` or `enabled: false`); the global `cache.enabled: false`
 * turns the cache off for every client before this is asked.
 */
export function clientCacheOptions(
  global: Readonly<CacheConfig>,
  client: ClientCacheConfig | undefined,
): CacheClientOptions | undefined {
  if (client === false) return undefined;
  const own = typeof client === "object" ? client : {};
  if (own.enabled === false) return undefined;
  const options: CacheClientOptions = {
    scope: own.scope ?? global.scope,
    allowNonDeterministic: own.policy?.allowNonDeterministic ?? global.policy.allowNonDeterministic,
    cacheUnsetTemperature: own.policy?.cacheUnsetTemperature ?? global.policy.cacheUnsetTemperature,
  };
  if (global.scopeSecret !== undefined) options.scopeSecret = global.scopeSecret;
  if (own.namespace !== undefined) options.namespace = own.namespace;
  if (own.ttlMs !== undefined) options.ttlMs = own.ttlMs;
  if (own.instance !== undefined) options.instance = own.instance;
  return options;
}
