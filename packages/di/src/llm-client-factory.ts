import type { CacheMiddleware } from "@llm/cache";
import type { ConfigChangeEvent, ConfigManager, LLMConfig } from "@llm/config";
import type {
  CallOptions,
  ChatRequest,
  ChatResponse,
  CircuitBreaker,
  LLMClient,
  ProviderRegistry,
  StreamEvent,
  Transport,
} from "@llm/core";
import { ConfigError } from "@llm/core";
import type { Hooks } from "@llm/hooks";
import { consoleLogger, type PluginManager } from "@llm/plugins";
import type { RateLimitStore } from "@llm/ratelimit";
import { inject, injectable, optional } from "inversify";
import { buildClient } from "./build-client.js";
import type { ProviderConfigSettingsCatalog } from "./provider-config-settings.js";
import { TOKENS } from "./tokens.js";

/**
 * Builds named clients from config: `factory.get("summarizer")`.
 *
 * A client is built once and memoised. The object `get` returns is stable
 * and always delegates to the current build, so a node that kept it picks up
 * a hot reload (a new model, key or fallback list) on its next call without
 * being asked.
 */
@injectable()
export class LLMClientFactory {
  readonly #built = new Map<string, LLMClient>();
  readonly #handles = new Map<string, LLMClient>();
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #logger = consoleLogger("llm-ratelimit");
  readonly #disposeListener: () => void;

  constructor(
    @inject(TOKENS.ConfigManager) private readonly config: ConfigManager,
    @inject(TOKENS.ProviderRegistry) private readonly registry: ProviderRegistry,
    @inject(TOKENS.Transport) private readonly transport: Transport,
    @inject(TOKENS.Hooks) private readonly hooks: Hooks,
    @inject(TOKENS.PluginManager) private readonly plugins: PluginManager,
    @inject(TOKENS.CacheMiddleware) @optional() private readonly cache: CacheMiddleware | undefined,
    @inject(TOKENS.RateLimitStore)
    @optional()
    private readonly rateLimits: RateLimitStore | undefined,
    @inject(TOKENS.ProviderConfigSettings)
    @optional()
    private readonly providerConfigSettings: ProviderConfigSettingsCatalog | undefined,
  ) {
    this.#disposeListener = config.onChange((event) => this.#onChange(event));
  }

  /** The client configured under `name`. Unknown names, missing providers and bad settings throw here. */
  get(name: string): LLMClient {
    let handle = this.#handles.get(name);
    if (handle) return handle;
    this.#current(name); // build now: errors belong to resolve time
    const current = (): LLMClient => this.#current(name);
    handle = {
      get provider() {
        return current().provider;
      },
      get model() {
        return current().model;
      },
      // The current build's scope: a key or credential changed by a reload scopes anew.
      get cacheScope() {
        return current().cacheScope;
      },
      generate: (request: ChatRequest, options?: CallOptions): Promise<ChatResponse> =>
        current().generate(request, options),
      stream: (request: ChatRequest, options?: CallOptions): AsyncIterable<StreamEvent> =>
        current().stream(request, options),
    };
    this.#handles.set(name, handle);
    return handle;
  }

  /** Configured client names. */
  names(): string[] {
    return Object.keys(this.config.get().clients).sort();
  }

  /**
   * Resolves when the rebuild after the latest config change is done (tests,
   * demos). Builds are dropped as the change is applied — the provider
   * packages a new config needs are imported before it is accepted (see
   * `createLLMContainer`) — so this is resolved already.
   */
  settled(): Promise<void> {
    return Promise.resolve();
  }

  /** Drops memoised builds; the next call rebuilds from the current config. */
  invalidate(name?: string): void {
    if (name === undefined) this.#built.clear();
    else this.#built.delete(name);
  }

  dispose(): void {
    this.#disposeListener();
    this.#built.clear();
    this.#handles.clear();
  }

  #current(name: string): LLMClient {
    const built = this.#built.get(name);
    if (built) return built;
    const config = this.config.get();
    if (!Object.hasOwn(config.clients, name)) {
      throw new ConfigError(
        `Unknown client "${name}"; configured clients: ${this.names().join(", ") || "none"}`,
        { issues: [{ path: `clients.${name}`, message: "not configured" }] },
      );
    }
    const client = buildClient(name, {
      config,
      registry: this.registry,
      ...(this.providerConfigSettings
        ? { providerConfigSettings: this.providerConfigSettings }
        : {}),
      transport: this.transport,
      hooks: this.hooks,
      cache: config.cache.enabled ? this.cache : undefined,
      pluginMiddlewares: this.plugins.middlewares(),
      breakers: this.#breakers,
      ...(this.rateLimits ? { rateLimits: this.rateLimits } : {}),
      logger: this.#logger,
    });
    this.#built.set(name, client);
    return client;
  }

  #onChange(event: ConfigChangeEvent<LLMConfig>): void {
    // Clients carry their cache settings (global scope and sampling policy included).
    const rebuilds = (path: string) =>
      path === "clients" ||
      path.startsWith("clients.") ||
      path === "cache" ||
      path.startsWith("cache.") ||
      path.startsWith("rateLimits.");
    if (!event.changes.some((c) => rebuilds(c.path))) return;
    // Fallback lists cross clients, so one changed client can change another's chain.
    this.#built.clear();
  }
}
