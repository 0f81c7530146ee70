import { AuthenticationError, ConfigError, ProviderRegistry, Secret } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGemini, GEMINI_DEFAULT_BASE_URL, provider } from "./gemini-provider.js";

let mock: MockProvider;
const hello = { messages: [{ role: "user" as const, content: "Hello" }] };

beforeAll(async () => {
  mock = await startMockProvider({ provider: "gemini" });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
});

const sentKey = () => mock.requests.at(-1)?.headers["x-goog-api-key"];

describe("createGemini settings", () => {
  it("throws an AuthenticationError naming GEMINI_API_KEY and GOOGLE_API_KEY when no key is found", () => {
    const error = (() => {
      try {
        createGemini({ env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain("GEMINI_API_KEY");
    expect((error as Error).message).toContain("GOOGLE_API_KEY");
  });

  it("reads GEMINI_API_KEY first, then GOOGLE_API_KEY", async () => {
    mock.enqueue({ text: "a" }, { text: "b" });
    const both = createGemini({
      baseURL: mock.baseURL,
      model: "m",
      env: { GEMINI_API_KEY: "gemini-env-key", GOOGLE_API_KEY: "google-env-key" },
    });
    await both.generate(hello);
    expect(sentKey()).toBe("gemini-env-key");
    const googleOnly = createGemini({
      baseURL: mock.baseURL,
      model: "m",
      env: { GOOGLE_API_KEY: "google-env-key" },
    });
    await googleOnly.generate(hello);
    expect(sentKey()).toBe("google-env-key");
  });

  it("prefers settings.apiKey, given as a string or a Secret, over the environment", async () => {
    mock.enqueue({ text: "a" }, { text: "b" });
    await createGemini({
      baseURL: mock.baseURL,
      model: "m",
      apiKey: "explicit-key",
      env: { GEMINI_API_KEY: "env" },
    }).generate(hello);
    expect(sentKey()).toBe("explicit-key");
    await createGemini({
      baseURL: mock.baseURL,
      model: "m",
      apiKey: new Secret("secret-key-1"),
    }).generate(hello);
    expect(sentKey()).toBe("secret-key-1");
  });

  it('sends no key at all for apiKey: "" (a proxy adds it)', async () => {
    mock.enqueue({ text: "a" });
    const client = createGemini({
      baseURL: mock.baseURL,
      model: "m",
      apiKey: "",
      env: {},
      headers: { "X-Proxy": "1" },
    });
    const error = await client.generate(hello).catch((e: unknown) => e);
    // The mock behaves like Google: no key is a 403.
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(mock.requests.at(-1)?.headers["x-goog-api-key"]).toBeUndefined();
    expect(mock.requests.at(-1)?.headers["x-proxy"]).toBe("1");
  });

  it("rejects a malformed or non-http baseURL with a ConfigError at path baseURL", () => {
    for (const baseURL of ["not a url", "ftp://example.com/v1beta"]) {
      const error = (() => {
        try {
          createGemini({ baseURL, apiKey: "k" });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]?.path).toBe("baseURL");
    }
  });

  it("defaults to the public v1beta endpoint and strips a trailing slash", async () => {
    expect(GEMINI_DEFAULT_BASE_URL).toBe("https://generativelanguage.googleapis.com/v1beta");
    mock.enqueue({ text: "ok" });
    const client = createGemini({ baseURL: `${mock.baseURL}/`, apiKey: "k", model: "m" });
    await client.generate(hello);
    expect(mock.requests.at(-1)?.path).toBe("/v1beta/models/m:generateContent");
  });

  it("reports provider gemini and its default model", () => {
    const client = createGemini({ apiKey: "k", model: "gemini-2.5-flash" });
    expect(client.provider).toBe("gemini");
    expect(client.model).toBe("gemini-2.5-flash");
    expect(createGemini({ apiKey: "k" }).model).toBeUndefined();
  });

  it("rejects defaults of the wrong type or unknown name with one ConfigError listing each", () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    const bad = { temperature: "0.5", stop: "END", topk: 3, maxTokens: 10 };
    const error = (() => {
      try {
        // As a config file would give them: through the registry, typed as JSON.
        registry.create("gemini", { apiKey: "k", defaults: bad });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      "defaults.temperature",
      "defaults.stop",
      "defaults.topk",
    ]);
  });
});

describe("provider definition", () => {
  it("registers with a ProviderRegistry and creates working clients", async () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    expect(registry.types()).toEqual(["gemini"]);
    expect(provider.apiKeyEnv).toEqual(["GEMINI_API_KEY", "GOOGLE_API_KEY"]);
    expect(provider.packageName).toBe("@llm/provider-gemini");
    mock.enqueue({ text: "from the registry" });
    const client = registry.create("gemini", { baseURL: mock.baseURL, apiKey: "k", model: "m" });
    expect((await client.generate(hello)).text).toBe("from the registry");
  });
});

describe("cache scope", () => {
  it("names the endpoint and the billing project, without the key", () => {
    const client = createGemini({
      apiKey: "AIza-scope-1234567890",
      headers: { "X-Goog-User-Project": "billing-1" },
    });
    expect(client.cacheScope.instance).toBe(
      `gemini ${GEMINI_DEFAULT_BASE_URL} x-goog-user-project=billing-1`,
    );
    expect(client.cacheScope.instance).not.toContain("AIza-scope");
  });
});
