import { AuthenticationError, ConfigError, ProviderRegistry } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBedrock, provider } from "./bedrock-provider.js";

let mock: MockProvider;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
});

afterAll(async () => {
  await mock.close();
});

describe("createBedrock", () => {
  it("throws an AuthenticationError naming BEDROCK_API_KEY when no key is found", () => {
    expect(() => createBedrock({ env: {} })).toThrow(AuthenticationError);
    expect(() => createBedrock({ env: {} })).toThrow(/BEDROCK_API_KEY/);
  });

  it("reads the key from BEDROCK_API_KEY", async () => {
    mock.enqueue({ text: "ok" });
    const client = createBedrock({
      baseURL: mock.baseURL,
      model: "m",
      env: { BEDROCK_API_KEY: "env-key-1" },
      headers: { "X-Team": "a" },
    });
    await client.generate({ messages: [{ role: "user", content: "Hi" }] });
    expect(mock.requests.at(-1)?.headers.authorization).toBe("Bearer env-key-1");
    expect(mock.requests.at(-1)?.headers["x-team"]).toBe("a");
  });

  it("scopes cached answers to its endpoint and account headers, never to its key", () => {
    const a = createBedrock({
      baseURL: "https://a.example/v1",
      apiKey: "key-one-0123456789",
      model: "m",
    });
    const b = createBedrock({
      baseURL: "https://b.example/v1",
      apiKey: "key-one-0123456789",
      model: "m",
    });
    const rotated = createBedrock({
      baseURL: "https://a.example/v1/",
      apiKey: "key-two-0123456789",
      model: "m",
    });
    expect(a.cacheScope?.instance).not.toBe(b.cacheScope?.instance);
    expect(rotated.cacheScope?.instance).toBe(a.cacheScope?.instance);
    expect(JSON.stringify(a.cacheScope)).not.toContain("key-one");
  });

  it("rejects a bad baseURL with a ConfigError at path baseURL", () => {
    expect(() => createBedrock({ baseURL: "not a url", apiKey: "k" })).toThrow(ConfigError);
  });

  it("throws a ConfigError when no model is set", async () => {
    await expect(createBedrock({ apiKey: "k" }).generate({ messages: [] })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it("registers with a ProviderRegistry and creates working clients", async () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    mock.enqueue({ text: "from the registry" });
    const client = registry.create("bedrock", { baseURL: mock.baseURL, apiKey: "k", model: "m" });
    expect(client.provider).toBe("bedrock");
    expect((await client.generate({ messages: [{ role: "user", content: "Hi" }] })).text).toBe(
      "from the registry",
    );
  });
});
