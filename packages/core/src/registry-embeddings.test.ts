import { describe, expect, it } from "vitest";
import type { EmbeddingClient } from "./embeddings/embedding-client.js";
import { ConfigError } from "./errors/index.js";
import { type ProviderDefinition, ProviderRegistry, type ProviderSettings } from "./registry.js";
import { scriptedClient } from "./test-support/scripted-client.js";

const embeddings = (settings: ProviderSettings): EmbeddingClient => ({
  provider: "with",
  ...(settings.model === undefined ? {} : { model: settings.model }),
  maxInputsPerCall: 8,
  embedBatch: async () => ({
    provider: "with",
    model: "m",
    embeddings: [],
    usage: { inputTokens: 0 },
  }),
});

const withEmbeddings: ProviderDefinition = {
  type: "with",
  create: () => scriptedClient([{ text: "ok" }], "with"),
  createEmbeddings: embeddings,
};
const without: ProviderDefinition = {
  type: "without",
  create: () => scriptedClient([], "without"),
};

describe("ProviderRegistry embeddings", () => {
  it("creates a provider's embedding client with the settings", () => {
    const registry = new ProviderRegistry();
    registry.register(withEmbeddings);
    expect(registry.hasEmbeddings("with")).toBe(true);
    expect(registry.createEmbeddings("with", { model: "e" }).model).toBe("e");
    expect(registry.createEmbeddings("with").maxInputsPerCall).toBe(8);
  });

  it("says a provider without embeddings has none, with a ConfigError naming it", () => {
    const registry = new ProviderRegistry();
    registry.register(without);
    expect(registry.hasEmbeddings("without")).toBe(false);
    expect(registry.hasEmbeddings("unknown")).toBe(false);
    expect(() => registry.createEmbeddings("without")).toThrow(ConfigError);
    expect(() => registry.createEmbeddings("without")).toThrow(
      'Provider "without" has no embeddings',
    );
  });
});
