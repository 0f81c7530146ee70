import type { CacheMiddleware } from "@llm/cache";
import type { ClientConfig, LLMConfig } from "@llm/config";
import {
  type CircuitBreaker,
  circuitBreakerMiddleware,
  compose,
  fallbackClient,
  type LLMClient,
  type Middleware,
  type ProviderRegistry,
  type ProviderSettings,
  retryMiddleware,
  Secret,
  type Transport,
  timeoutMiddleware,
  toLLMError,
} from "@llm/core";
import { type Hooks, hooksMiddleware } from "@llm/hooks";
import { consoleLogger, type PluginLogger } from "@llm/plugins";
import type { RateLimitStore } from "@llm/ratelimit";
import { clientCacheOptions } from "./client-cache-options.js";
import { clientRateLimit } from "./client-rate-limit.js";
import { clientBreaker, clientRetryOptions } from "./client-resilience.js";
import { fallbackOrder } from "./fallback-order.js";
import { missingProviderError } from "./install-providers.js";
import { ProviderConfigSettingsCatalog } from "./provider-config-settings.js";
import { requestDefaultsMiddleware } from "./request-defaults.js";

export interface ClientBuildContext {
  config: Readonly<LLMConfig>;
  registry: ProviderRegistry;
  /** Provider types' schemas of `providerSettings`; without it, a client that has some is a `ConfigError`. */
  providerConfigSettings?: ProviderConfigSettingsCatalog;
  transport: Transport;
  hooks: Hooks;
  /**
   * The shared cache middleware; each client gets its own view of it
   * (`withOptions`: namespace, TTL, scope, sampling policy) over the one
   * cache, single-flight and statistics. Absent when the cache is off.
   */
  cache: CacheMiddleware | undefined;
  pluginMiddlewares: readonly Middleware[];
  /** Breakers live across rebuilds so a hot reload does not forget an outage. */
  breakers: Map<string, CircuitBreaker>;
  /** Where `clients.<name>.rateLimit` budgets live; without it, rate limits are not applied. */
  rateLimits?: RateLimitStore;
  /** Where the rate limiter reports an unavailable store. */
  logger?: PluginLogger;
}

/**
 * The middleware chain of a named client, outermost first:
 *
 *   hooks → plugin middlewares → request defaults → cache →
 *   fallback( [retry → rate limit → circuit breaker → timeout → provider] per client … )
 *
 * Hooks see every call (hits included); the cache answers before any retry
 * bookkeeping; each client in the fallback list keeps its own retry budget,
 * rate limit, breaker and deadlines, so an open breaker moves straight to the
 * next one. Each attempt spends the rate limit (each reaches the provider); a
 * refused budget is not a provider failure, so it sits above the breaker.
 */
export function buildClient(name: string, context: ClientBuildContext): LLMClient {
  const clients = context.config.clients;
  const order = fallbackOrder(name, clients);
  const primary = clients[name]!;
  const attempts = order.map((n) => resilientProvider(n, clients[n]!, context));
  const upstream =
    attempts.length === 1
      ? attempts[0]!
      : fallbackClient(attempts, {
          onFallback: ({ error, from, to }) =>
            context.hooks.notify("onFallback", {
              client: name,
              from: order[from]!,
              to: order[to]!,
              error: toLLMError(error),
            }),
        });

  const middlewares: Middleware[] = [hooksMiddleware(context.hooks, { clientName: name })];
  middlewares.push(...context.pluginMiddlewares);
  const defaults = requestDefaultsMiddleware(primary.provider, primary.params);
  if (defaults) middlewares.push(defaults);
  const cacheOptions = context.cache && clientCacheOptions(context.config.cache, primary.cache);
  if (context.cache && cacheOptions) middlewares.push(context.cache.withOptions(cacheOptions));
  return compose(upstream, ...middlewares);
}

function resilientProvider(
  name: string,
  config: ClientConfig,
  context: ClientBuildContext,
): LLMClient {
  if (!context.registry.has(config.provider)) {
    throw missingProviderError(config.provider, name, context.registry.types());
  }
  const provider = context.registry.create(
    config.provider,
    providerSettings(name, config, context.transport, context.providerConfigSettings),
  );
  const middlewares: Middleware[] = [];
  const retry = clientRetryOptions(name, config, context.hooks);
  if (retry) middlewares.push(retryMiddleware(retry));
  if (context.rateLimits) {
    const limit = clientRateLimit(
      name,
      config,
      provider,
      context.config,
      context.rateLimits,
      context.logger ?? consoleLogger("llm-ratelimit"),
    );
    if (limit) middlewares.push(limit);
  }
  const breaker = clientBreaker(name, name, config, context.breakers);
  if (breaker) middlewares.push(circuitBreakerMiddleware(breaker));
  if (config.timeouts) middlewares.push(timeoutMiddleware(config.timeouts));
  return compose(provider, ...middlewares);
}

const NO_PROVIDER_SETTINGS = new ProviderConfigSettingsCatalog();

/**
 * The provider settings of configured client `name` (secrets revealed for the
 * provider only): its `providerSettings`, checked by the provider's schema,
 * under the common fields (which they cannot override).
 */
export function providerSettings(
  name: string,
  config: ClientConfig,
  transport: Transport,
  catalog: ProviderConfigSettingsCatalog = NO_PROVIDER_SETTINGS,
): ProviderSettings {
  const settings: ProviderSettings = {
    ...catalog.read(name, config),
    model: config.model,
    transport,
  };
  if (config.apiKey !== undefined) settings.apiKey = config.apiKey;
  // The config holds the URL as a SecretURL (a `?key=` must not print); the provider needs the real one.
  if (config.baseURL !== undefined) settings.baseURL = config.baseURL.reveal();
  if (config.limits !== undefined) settings.limits = config.limits;
  if (config.headers !== undefined) {
    settings.headers = Object.fromEntries(
      Object.entries(config.headers).map(([k, v]) => [k, v instanceof Secret ? v.reveal() : v]),
    );
  }
  return settings;
}
