import type { LLMClient } from "./client.js";
import type { EmbeddingClient } from "./embeddings/embedding-client.js";
import { ConfigError } from "./errors/errors.js";
import type { JsonValue } from "./json.js";
import type { Secret } from "./secret.js";
import type { ResponseLimits } from "./streaming/limits.js";
import type { Transport } from "./transport.js";

/** Settings every provider understands; each provider package extends them. */
export interface ProviderSettings {
  /** Default model for requests that name none. */
  model?: string;
  /** Falls back to the provider's usual environment variable when omitted. */
  apiKey?: string | Secret;
  baseURL?: string;
  headers?: Record<string, string>;
  /** Defaults to `@llm/pool` when the caller passes one, else global `fetch`. */
  transport?: Transport;
  /** Default request parameters (temperature, maxTokens, …) merged under each request. */
  defaults?: Record<string, JsonValue>;
  /** Environment to read keys from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Bounds on answers: line, event and body sizes, stream deadlines (`DEFAULT_RESPONSE_LIMITS`). */
  limits?: ResponseLimits;
}

/** What a provider package exports as `provider`, so a registry (or a plugin) can install it. */
export interface ProviderDefinition<S extends ProviderSettings = ProviderSettings> {
  /** Registry key, e.g. `"openai"`. */
  readonly type: string;
  /** npm package that provides it, for error messages (`pnpm add …`). */
  readonly packageName?: string;
  /** Environment variables read for the API key, in order. */
  readonly apiKeyEnv?: readonly string[];
  create(settings: S): LLMClient;
  /** The provider's embeddings, from the same settings; absent when it has none. */
  createEmbeddings?(settings: S): EmbeddingClient;
}

/** Maps provider types to their factories. */
export class ProviderRegistry {
  readonly #definitions = new Map<string, ProviderDefinition>();

  register<S extends ProviderSettings>(definition: ProviderDefinition<S>): () => void {
    if (this.#definitions.has(definition.type)) {
      throw new ConfigError(
        `Provider type "${definition.type}" is already registered (known types: ${this.#known()})`,
      );
    }
    this.#definitions.set(definition.type, definition as unknown as ProviderDefinition);
    return () => {
      if (this.#definitions.get(definition.type) === (definition as unknown)) {
        this.#definitions.delete(definition.type);
      }
    };
  }

  has(type: string): boolean {
    return this.#definitions.has(type);
  }

  get(type: string): ProviderDefinition {
    const definition = this.#definitions.get(type);
    if (!definition) {
      throw new ConfigError(`Unknown provider type "${type}" (known types: ${this.#known()})`, {
        issues: [{ path: "provider", message: `unknown provider type "${type}"` }],
      });
    }
    return definition;
  }

  create(type: string, settings: ProviderSettings = {}): LLMClient {
    return this.get(type).create(settings);
  }

  /** Whether `type` is registered and offers embeddings. */
  hasEmbeddings(type: string): boolean {
    return this.#definitions.get(type)?.createEmbeddings !== undefined;
  }

  /** An `EmbeddingClient` of `type`; `ConfigError` when the provider has no embeddings. */
  createEmbeddings(type: string, settings: ProviderSettings = {}): EmbeddingClient {
    const definition = this.get(type);
    if (definition.createEmbeddings === undefined) {
      throw new ConfigError(`Provider "${type}" has no embeddings`, {
        issues: [{ path: "provider", message: `"${type}" offers no embeddings` }],
      });
    }
    return definition.createEmbeddings(settings);
  }

  types(): string[] {
    return [...this.#definitions.keys()].sort();
  }

  #known(): string {
    const types = this.types();
    return types.length ? types.join(", ") : "none";
  }
}
