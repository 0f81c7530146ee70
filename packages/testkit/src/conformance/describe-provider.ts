import { afterAll, afterEach, beforeAll, beforeEach, describe } from "vitest";
import type { MockProvider } from "../types.js";
import type { ClosableTransport, ProviderConformanceAdapter } from "./adapter.js";
import { type ConformanceContext, startServer } from "./context.js";
import { abortSection } from "./sections/abort.js";
import { cacheScopeSection } from "./sections/cache-scope.js";
import { failuresSection } from "./sections/failures.js";
import { jsonSchemaSection } from "./sections/json-schema.js";
import { limitsSection } from "./sections/limits.js";
import { textSection } from "./sections/text.js";
import { timeoutsSection } from "./sections/timeouts.js";
import { toolsSection } from "./sections/tools.js";
import { transportSection } from "./sections/transport.js";

/**
 * The conformance suite every provider runs over real sockets against its
 * testkit server (after `describeCacheStore` in `@llm/cache/testing`):
 *
 * ```ts
 * describeProvider({
 *   provider: "openai",
 *   wireFormat: "openai",
 *   apiKey: "sk-test",
 *   createClient: (s) => createOpenAI({ model: "gpt-4o-mini", apiKey: "sk-test", ...s }),
 *   createPool: () => new ConnectionPool(),
 * });
 * ```
 *
 * A provider's own test files then keep only what is specific to its wire
 * format (request mapping, its error bodies, its stream events).
 */
export function describeProvider(adapter: ProviderConformanceAdapter): void {
  describe(`provider conformance: ${adapter.provider}`, () => {
    let mock: MockProvider | undefined;
    const ownServers: MockProvider[] = [];
    const pools: ClosableTransport[] = [];

    beforeAll(async () => {
      mock = await startServer(adapter);
    });
    afterAll(async () => {
      await mock?.close();
    });
    beforeEach(() => {
      mock?.reset();
    });
    afterEach(async () => {
      for (const pool of pools.splice(0)) await pool.close();
      for (const server of ownServers.splice(0)) await server.close();
    });

    const shared = (): MockProvider => {
      if (mock === undefined) throw new Error("the testkit server is not started yet");
      return mock;
    };
    const ctx: ConformanceContext = {
      adapter,
      mock: shared,
      client: (settings = {}) =>
        adapter.createClient({ baseURL: shared().baseURL, apiKey: adapter.apiKey, ...settings }),
      ownServer: async (latency) => {
        const server = await startServer(adapter, latency);
        ownServers.push(server);
        return server;
      },
      pool: () => {
        const pool = adapter.createPool();
        pools.push(pool);
        return pool;
      },
    };

    const capabilities = adapter.capabilities ?? {};
    textSection(ctx);
    if (capabilities.tools !== false) toolsSection(ctx);
    if (capabilities.jsonSchema !== false) jsonSchemaSection(ctx);
    abortSection(ctx);
    timeoutsSection(ctx);
    failuresSection(ctx);
    limitsSection(ctx);
    transportSection(ctx);
    cacheScopeSection(ctx);
    // Capability sections added later (embeddings, structured output) run here, each when its
    // field of `adapter.capabilities` is set: see `ProviderCapabilities`.
  });
}
