import { AuthenticationError, ConfigError, ProviderRegistry, Secret } from "@llm/core";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import {
  createMistral,
  createMistralEmbeddings,
  MISTRAL_DEFAULT_BASE_URL,
  provider,
  readMistralRateLimitHeaders,
} from "./index.js";

const mock = useMockProvider({ provider: "mistral" });

const hi = { messages: [{ role: "user" as const, content: "Hi" }] };

describe("settings", () => {
  it("throws AuthenticationError naming MISTRAL_API_KEY at creation when no key is set", () => {
    let error: unknown;
    try {
      createMistral({ env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe(
      "No API key for mistral: set MISTRAL_API_KEY or pass apiKey",
    );
    expect(() => createMistralEmbeddings({ env: {} })).toThrow(AuthenticationError);
  });

  it("reads the key from MISTRAL_API_KEY and accepts it as a Secret", async () => {
    mock.enqueue({ text: "from env" }, { text: "secret" });
    const fromEnv = createMistral({
      baseURL: mock.baseURL,
      model: "mistral-small-latest",
      env: { MISTRAL_API_KEY: "env-key-0123456789" },
    });
    expect((await fromEnv.generate(hi)).text).toBe("from env");
    expect(mock.requests[0]?.headers.authorization).toBe("Bearer env-key-0123456789");
    const secret = createMistral({
      baseURL: mock.baseURL,
      model: "m",
      apiKey: new Secret("secret-key-0123456789"),
    });
    expect((await secret.generate(hi)).text).toBe("secret");
    expect(mock.requests[1]?.headers.authorization).toBe("Bearer secret-key-0123456789");
  });

  it("sends custom headers (lower-cased) and uses a custom fetch", async () => {
    mock.enqueue({ text: "ok" });
    const urls: string[] = [];
    const client = createMistral({
      baseURL: mock.baseURL,
      apiKey: "k-0123456789",
      model: "m",
      headers: { "X-Team": "search" },
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await client.generate(hi);
    expect(mock.requests[0]?.headers["x-team"]).toBe("search");
    expect(urls).toEqual([`${mock.baseURL}/chat/completions`]);
  });

  it.each(["not a url", "ftp://example.com/v1"])(
    "rejects baseURL %j with a ConfigError",
    (baseURL) => {
      let error: unknown;
      try {
        createMistral({ apiKey: "k-0123456789", baseURL });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]?.path).toBe("baseURL");
    },
  );

  it("defaults to api.mistral.ai and scopes caches by endpoint, not by key", () => {
    expect(MISTRAL_DEFAULT_BASE_URL).toBe("https://api.mistral.ai/v1");
    const a = createMistral({ apiKey: "key-a-0123456789", model: "m" });
    const b = createMistral({ apiKey: "key-b-0123456789", model: "m" });
    const local = createMistral({ apiKey: "key-a-0123456789", baseURL: mock.baseURL });
    expect(a.cacheScope.instance).toBe(`mistral ${MISTRAL_DEFAULT_BASE_URL}/chat/completions`);
    expect(a.cacheScope.instance).toBe(b.cacheScope.instance);
    expect(a.cacheScope.instance).not.toBe(local.cacheScope.instance);
    expect(a.cacheScope.instance).not.toContain("key-a");
    const safe = createMistral({ apiKey: "key-a-0123456789", model: "m", safePrompt: true });
    expect(safe.cacheScope.instance).not.toBe(a.cacheScope.instance);
  });
});

describe("registry", () => {
  it("registers as mistral and creates chat and embedding clients by type", async () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    expect(provider).toMatchObject({
      type: "mistral",
      packageName: "@llm/provider-mistral",
      apiKeyEnv: ["MISTRAL_API_KEY"],
    });
    mock.enqueue({ text: "registered" });
    const client = registry.create("mistral", {
      baseURL: mock.baseURL,
      apiKey: "k-0123456789",
      model: "mistral-small-latest",
    });
    expect(client.provider).toBe("mistral");
    expect((await client.generate(hi)).text).toBe("registered");
    const embeddings = provider.createEmbeddings?.({
      baseURL: mock.baseURL,
      apiKey: "k-0123456789",
      model: "mistral-embed",
    });
    expect(embeddings?.maxInputsPerCall).toBe(32);
  });
});

describe("readMistralRateLimitHeaders", () => {
  it("reads the per-minute request and token windows", () => {
    expect(
      readMistralRateLimitHeaders({
        "x-ratelimit-limit-req-minute": "720",
        "x-ratelimit-remaining-req-minute": " 0 ",
        "x-ratelimit-limit-tokens-minute": "5000000",
        "x-ratelimit-remaining-tokens-minute": "4999911",
      }),
    ).toEqual({
      requests: { limit: 720, remaining: 0 },
      tokens: { limit: 5000000, remaining: 4999911 },
    });
  });

  it("leaves out what is absent or does not parse", () => {
    expect(readMistralRateLimitHeaders({})).toBeUndefined();
    expect(
      readMistralRateLimitHeaders({
        "x-ratelimit-remaining-tokens-minute": "12",
        "x-ratelimit-limit-req-minute": "-1",
      }),
    ).toEqual({ tokens: { remaining: 12 } });
  });
});
