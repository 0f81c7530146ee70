import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors/index.js";
import { type ProviderDefinition, ProviderRegistry, type ProviderSettings } from "./registry.js";
import { scriptedClient } from "./test-support/scripted-client.js";

const definition = (type: string): ProviderDefinition => ({
  type,
  create: (settings: ProviderSettings) => scriptedClient([{ text: "ok" }], type, settings.model),
});

describe("ProviderRegistry", () => {
  it("creates a client by type with its settings", () => {
    const registry = new ProviderRegistry();
    registry.register(definition("openai"));
    const client = registry.create("openai", { model: "gpt-x" });
    expect(client.provider).toBe("openai");
    expect(client.model).toBe("gpt-x");
    expect(registry.create("openai").model).toBeUndefined();
    expect(registry.has("openai")).toBe(true);
  });

  it("rejects a duplicate type and lists the known types", () => {
    const registry = new ProviderRegistry();
    registry.register(definition("openai"));
    registry.register(definition("anthropic"));
    expect(() => registry.register(definition("openai"))).toThrow(
      'Provider type "openai" is already registered (known types: anthropic, openai)',
    );
  });

  it("rejects an unknown type with a ConfigError listing the known types", () => {
    const registry = new ProviderRegistry();
    expect(() => registry.get("openai")).toThrow("known types: none");
    registry.register(definition("ollama"));
    const error = (() => {
      try {
        registry.create("gemini");
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('Unknown provider type "gemini" (known types: ollama)');
    expect(error.issues).toEqual([{ path: "provider", message: 'unknown provider type "gemini"' }]);
  });

  it("unregisters only the definition it registered", () => {
    const registry = new ProviderRegistry();
    const unregister = registry.register(definition("openai"));
    unregister();
    expect(registry.types()).toEqual([]);
    const again = registry.register(definition("openai"));
    unregister();
    expect(registry.types()).toEqual(["openai"]);
    again();
    expect(registry.has("openai")).toBe(false);
  });
});
