import {
  type CachedEmbedding,
  type CachedEmbeddingClient,
  type CorruptEntryEvent,
  cachedEmbeddings,
  type TieredCache,
} from "@llm/cache";
import type { ClientConfig, ConfigChangeEvent, ConfigManager, LLMConfig } from "@llm/config";
import {
  type CircuitBreaker,
  ConfigError,
  type EmbeddingClient,
  type EmbeddingResilienceOptions,
  type ProviderRegistry,
  type Transport,
  withEmbeddingResilience,
} from "@llm/core";
import type { Hooks } from "@llm/hooks";
import { inject, injectable, optional } from "inversify";
import { providerSettings } from "./build-client.js";
import { clientCacheOptions } from "./client-cache-options.js";
import { clientBreaker, clientRetryOptions } from "./client-resilience.js";
import { missingProviderError } from "./install-providers.js";
import type { ProviderConfigSettingsCatalog } from "./provider-config-settings.js";
import { TOKENS } from "./tokens.js";

/**
 * Embedding clients by the name of a configured client:
 * `llm.embeddings.get("search")` → an `EmbeddingClient` on that client's
 * provider, key, base URL, headers and transport (its `model` is the
 * embedding model). With the cache on, vectors are cached per text in the
 * embedding cache (its own L1, the same L2 store as chat answers), scoped
 * and namespaced by the client's cache settings, exactly as its chat keys.
 *
 * Between the cache and the provider sit the client's own `retries`,
 * `circuitBreaker` (a breaker of its own, apart from the chat calls') and
 * `timeouts.totalMs` per batch. Its `fallbacks` are not used: another model's
 * vectors live in another space, and one index must not mix them.
 */
@injectable()
export class EmbeddingClientFactory {
  readonly #built = new Map<string, EmbeddingClient>();
  /** Cached clients ever built here, for `flush`. */
  readonly #cached = new Set<CachedEmbeddingClient>();
  /** Breakers live across rebuilds so a hot reload does not forget an outage. */
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #disposeListener: () => void;

  constructor(
    @inject(TOKENS.ConfigManager) private readonly config: ConfigManager,
    @inject(TOKENS.ProviderRegistry) private readonly registry: ProviderRegistry,
    @inject(TOKENS.Transport) private readonly transport: Transport,
    @inject(TOKENS.Hooks) private readonly hooks: Hooks,
    @inject(TOKENS.EmbeddingCache)
    @optional()
    private readonly cache: TieredCache<CachedEmbedding> | undefined,
    @inject(TOKENS.ProviderConfigSettings)
    @optional()
    private readonly providerConfigSettings: ProviderConfigSettingsCatalog | undefined,
  ) {
    this.#disposeListener = config.onChange((event) => this.#onChange(event));
  }

  /** Whether the client configured under `name` has a provider that offers embeddings. */
  has(name: string): boolean {
    const client = this.config.get().clients[name];
    return client !== undefined && this.registry.hasEmbeddings(client.provider);
  }

  /**
   * The embedding client of `name`. An unknown name, a provider that is not
   * installed or that has no embeddings is a `ConfigError` naming the client.
   */
  get(name: string): EmbeddingClient {
    const built = this.#built.get(name);
    if (built) return built;
    const config = this.config.get();
    const client = Object.hasOwn(config.clients, name) ? config.clients[name] : undefined;
    if (client === undefined) {
      throw new ConfigError(
        `Unknown client "${name}"; configured clients: ${Object.keys(config.clients).sort().join(", ") || "none"}`,
        { issues: [{ path: `clients.${name}`, message: "not configured" }] },
      );
    }
    if (!this.registry.has(client.provider)) {
      throw missingProviderError(client.provider, name, this.registry.types());
    }
    if (!this.registry.hasEmbeddings(client.provider)) {
      throw new ConfigError(
        `Client "${name}" cannot embed: provider "${client.provider}" has no embeddings`,
        {
          issues: [
            {
              path: `clients.${name}.provider`,
              message: `"${client.provider}" offers no embeddings`,
            },
          ],
        },
      );
    }
    let embeddings = withEmbeddingResilience(
      this.registry.createEmbeddings(
        client.provider,
        providerSettings(name, client, this.transport, this.providerConfigSettings),
      ),
      this.#resilience(name, client),
    );
    const cacheOptions =
      this.cache && config.cache.enabled
        ? clientCacheOptions(config.cache, client.cache)
        : undefined;
    if (this.cache && cacheOptions) {
      const {
        allowNonDeterministic: _,
        cacheUnsetTemperature: __,
        policy: ___,
        ...scoping
      } = cacheOptions;
      const cached = cachedEmbeddings(embeddings, {
        ...scoping,
        cache: this.cache,
        onCorrupt: ({ key, level, reason }: CorruptEntryEvent) =>
          this.hooks.notify("onCacheCorrupt", { key, level, reason }),
      });
      this.#cached.add(cached);
      embeddings = cached;
    }
    this.#built.set(name, embeddings);
    return embeddings;
  }

  #resilience(name: string, client: ClientConfig): EmbeddingResilienceOptions {
    const options: EmbeddingResilienceOptions = {};
    const retry = clientRetryOptions(name, client, this.hooks);
    if (retry) options.retry = retry;
    const breaker = clientBreaker(name, `${name}:embeddings`, client, this.#breakers);
    if (breaker) options.breaker = breaker;
    const totalMs = client.timeouts?.totalMs;
    if (totalMs !== undefined) options.timeoutMs = totalMs;
    return options;
  }

  /** Resolves when every background L2 write of a cached vector has finished (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.#cached].map((client) => client.flush()));
  }

  dispose(): void {
    this.#disposeListener();
    this.#built.clear();
  }

  #onChange(event: ConfigChangeEvent<LLMConfig>): void {
    const rebuilds = (path: string) =>
      path === "clients" ||
      path.startsWith("clients.") ||
      path === "cache" ||
      path.startsWith("cache.");
    if (event.changes.some((c) => rebuilds(c.path))) this.#built.clear();
  }
}
