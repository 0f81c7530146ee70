import { AuthenticationError, ConfigError, ProviderRegistry, Secret } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOllama, OLLAMA_DEFAULT_BASE_URL, provider } from "./ollama-provider.js";

let mock: MockProvider;
const hello = { messages: [{ role: "user" as const, content: "Hello" }] };

beforeAll(async () => {
  mock = await startMockProvider({ provider: "ollama" });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
});

describe("createOllama settings", () => {
  it("needs no API key", async () => {
    mock.enqueue({ text: "local" });
    const client = createOllama({ baseURL: mock.baseURL, model: "llama3.2", env: {} });
    expect((await client.generate(hello)).text).toBe("local");
  });

  it("reads the server from OLLAMA_HOST when no baseURL is given", async () => {
    mock.enqueue({ text: "via env" });
    const client = createOllama({
      model: "llama3.2",
      env: { OLLAMA_HOST: mock.origin.replace("http://", "") },
    });
    expect((await client.generate(hello)).text).toBe("via env");
  });

  it("defaults to http://127.0.0.1:11434", () => {
    expect(OLLAMA_DEFAULT_BASE_URL).toBe("http://127.0.0.1:11434");
  });

  it("sends apiKey or OLLAMA_API_KEY as a bearer token for a protected proxy", async () => {
    const guarded = await startMockProvider({ provider: "ollama", apiKey: "proxy-token-1" });
    try {
      guarded.enqueue({ text: "a" }, { text: "b" });
      const fromSettings = createOllama({
        baseURL: guarded.baseURL,
        model: "m",
        apiKey: new Secret("proxy-token-1"),
        env: {},
        headers: { "X-Team": "ml" },
      });
      expect((await fromSettings.generate(hello)).text).toBe("a");
      expect(guarded.requests.at(-1)?.headers["x-team"]).toBe("ml");
      const fromEnv = createOllama({
        baseURL: guarded.baseURL,
        model: "m",
        env: { OLLAMA_API_KEY: "proxy-token-1" },
      });
      expect((await fromEnv.generate(hello)).text).toBe("b");
      const without = createOllama({ baseURL: guarded.baseURL, model: "m", env: {} });
      await expect(without.generate(hello)).rejects.toBeInstanceOf(AuthenticationError);
    } finally {
      await guarded.close();
    }
  });

  it("rejects a malformed baseURL or OLLAMA_HOST with a ConfigError at path baseURL", () => {
    for (const settings of [
      { baseURL: "::not a url::" },
      { env: { OLLAMA_HOST: "http://bad host" } },
    ]) {
      const error = (() => {
        try {
          createOllama(settings);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]?.path).toBe("baseURL");
    }
  });

  it("reports provider ollama and its default model", () => {
    const client = createOllama({ model: "qwen3:8b", env: {} });
    expect(client.provider).toBe("ollama");
    expect(client.model).toBe("qwen3:8b");
  });

  it("rejects defaults of the wrong type or unknown name with one ConfigError listing each", () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    const bad = { temperature: "0.5", stop: "END", topk: 3, maxTokens: 10 };
    const error = (() => {
      try {
        // As a config file would give them: through the registry, typed as JSON.
        registry.create("ollama", { env: {}, defaults: bad });
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
    expect(registry.types()).toEqual(["ollama"]);
    expect(provider.packageName).toBe("@llm/provider-ollama");
    mock.enqueue({ text: "from the registry" });
    const client = registry.create("ollama", { baseURL: mock.baseURL, model: "llama3.2" });
    expect((await client.generate(hello)).text).toBe("from the registry");
  });
});

describe("cache scope", () => {
  it("names the server, so two Ollama hosts never share answers", () => {
    const a = createOllama({ env: {} });
    const b = createOllama({ baseURL: "http://other-host:11434", env: {} });
    expect(a.cacheScope.instance).toBe(`ollama ${OLLAMA_DEFAULT_BASE_URL}/api/chat`);
    expect(b.cacheScope.instance).toBe("ollama http://other-host:11434/api/chat");
  });

  it("includes request defaults, which change the answer", () => {
    const a = createOllama({ env: {}, defaults: { temperature: 0 } });
    expect(a.cacheScope.instance).toBe(
      `ollama ${OLLAMA_DEFAULT_BASE_URL}/api/chat defaults={"temperature":0}`,
    );
  });
});
