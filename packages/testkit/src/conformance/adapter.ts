import type { LLMClient, ResponseLimits, Transport } from "@llm/core";
import type { ProviderName } from "../types.js";

/** What the suite asks the adapter's `createClient` for; everything else is the adapter's choice. */
export interface ConformanceClientSettings {
  /** The testkit server's `baseURL` for the adapter's wire format. */
  baseURL: string;
  /** Absent: the client's default transport (`fetch`). Present: a `@llm/pool` `ConnectionPool`. */
  transport?: Transport;
  /** Bounds the suite sets small to test them. */
  limits?: ResponseLimits;
  /** The API key to send; absent, the adapter's `apiKey`. */
  apiKey?: string;
}

/** A transport the suite opens for a test and closes after it (`new ConnectionPool()`). */
export interface ClosableTransport extends Transport {
  close(): Promise<void>;
}

/**
 * What a provider supports beyond text, streaming, errors and transports,
 * which every provider must pass. A section runs when its capability is on.
 *
 * Capability sections still to come (embeddings, typed structured output):
 * add an optional field here describing what the section needs (for embeddings,
 * e.g. `embeddings?: { createEmbeddingClient(settings): EmbeddingClient }`), a
 * `sections/<name>.ts` registering its `describe` block, and one line in
 * `describeProvider` that runs it when the field is set. Providers opt in by
 * filling the field; nothing else changes for the others.
 */
export interface ProviderCapabilities {
  /** Tool definitions in, tool calls out (generate and stream). Default true. */
  tools?: boolean;
  /** `responseFormat: { type: "json_schema" }` answered with JSON text. Default true. */
  jsonSchema?: boolean;
}

/**
 * The small per-provider part of the conformance suite: how to build the
 * client against a testkit server, and which wire format that server speaks.
 */
export interface ProviderConformanceAdapter {
  /** `client.provider` and `response.provider`, e.g. `"openai"`. */
  provider: string;
  /** The testkit server the client talks to (a new provider's own format is added to testkit first). */
  wireFormat: ProviderName;
  /** A key the client sends; the suite checks it never reaches an error or the cache scope. */
  apiKey: string;
  /** The client under test, configured with a model, against `settings.baseURL`. */
  createClient(settings: ConformanceClientSettings): LLMClient;
  /** A pooled transport (`() => new ConnectionPool()`): every provider must work over @llm/pool too. */
  createPool(): ClosableTransport;
  capabilities?: ProviderCapabilities;
}
