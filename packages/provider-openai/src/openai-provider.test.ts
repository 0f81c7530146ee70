import { AuthenticationError, ConfigError, ProviderRegistry, Secret } from "@llm/core";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import { createOpenAI, OPENAI_DEFAULT_BASE_URL, provider } from "./index.js";

const mock = useMockProvider({ provider: "openai" });

const hi = { messages: [{ role: "user" as const, content: "Hi" }] };

describe("API key", () => {
  it("throws AuthenticationError naming OPENAI_API_KEY at creation when no key is set", () => {
    let error: unknown;
    try {
      createOpenAI({ env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe(
      "No API key for openai: set OPENAI_API_KEY or pass apiKey",
    );
  });

  it("reads the key, base URL, organization and project from the environment", async () => {
    mock.enqueue({ text: "from env" });
    const client = createOpenAI({
      model: "gpt-4o-mini",
      env: {
        OPENAI_API_KEY: "sk-from-env-0123456789",
        OPENAI_BASE_URL: mock.baseURL,
        OPENAI_ORG_ID: "org-env",
        OPENAI_PROJECT_ID: "proj-env",
      },
    });
    expect((await client.generate(hi)).text).toBe("from env");
    const headers = mock.requests[0]?.headers ?? {};
    expect(headers.authorization).toBe("Bearer sk-from-env-0123456789");
    expect(headers["openai-organization"]).toBe("org-env");
    expect(headers["openai-project"]).toBe("proj-env");
  });

  it("accepts the key as a Secret", async () => {
    mock.enqueue({ text: "ok" });
    const client = createOpenAI({
      baseURL: mock.baseURL,
      apiKey: new Secret("sk-secret-0123456789"),
      model: "m",
    });
    await client.generate(hi);
    expect(mock.requests[0]?.headers.authorization).toBe("Bearer sk-secret-0123456789");
  });

  it("sends no Authorization header when apiKey is the empty string (local servers)", async () => {
    const client = createOpenAI({ baseURL: mock.baseURL, apiKey: "", model: "m", env: {} });
    // The mock answers a missing key the way OpenAI does: the request went out without one.
    await expect(client.generate(hi)).rejects.toMatchObject({
      name: "AuthenticationError",
      status: 401,
    });
    expect(mock.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe("baseURL", () => {
  it("keeps a query string of the baseURL in the query, after the API path", async () => {
    mock.enqueue({ text: "proxied" });
    const client = createOpenAI({
      baseURL: `${mock.baseURL}?tenant=acme`,
      apiKey: "sk-test-0123456789",
      model: "m",
    });
    expect((await client.generate(hi)).text).toBe("proxied");
    expect(mock.requests[0]?.path).toBe("/v1/chat/completions");
    expect(mock.requests[0]?.query).toEqual({ tenant: "acme" });
  });

  it.each(["not a url", "ftp://example.com/v1", ""])(
    "rejects %j with a ConfigError at path baseURL",
    (baseURL) => {
      let error: unknown;
      try {
        createOpenAI({ apiKey: "sk-test-0123456789", baseURL });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]?.path).toBe("baseURL");
    },
  );

  it("defaults to api.openai.com/v1 and tolerates a trailing slash", async () => {
    expect(OPENAI_DEFAULT_BASE_URL).toBe("https://api.openai.com/v1");
    mock.enqueue({ text: "slash" });
    const client = createOpenAI({
      baseURL: `${mock.baseURL}/`,
      apiKey: "sk-test-0123456789",
      model: "m",
    });
    expect((await client.generate(hi)).text).toBe("slash");
    expect(mock.requests[0]?.path).toBe("/v1/chat/completions");
  });
});

describe("settings", () => {
  it("rejects unknown or mistyped defaults with every issue listed", () => {
    let error: unknown;
    try {
      createOpenAI({
        apiKey: "sk-test-0123456789",
        defaults: { temperature: "hot", stop: [1], topK: 3 },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      "defaults.temperature",
      "defaults.stop",
      "defaults.topK",
    ]);
  });

  it("reports a custom provider name on responses and uses a custom fetch", async () => {
    mock.enqueue({ text: "named" });
    let calls = 0;
    const client = createOpenAI({
      baseURL: mock.baseURL,
      apiKey: "sk-test-0123456789",
      model: "llama-3.1-8b",
      name: "groq",
      fetch: (input, init) => {
        calls++;
        return fetch(input, init);
      },
    });
    const response = await client.generate(hi);
    expect(client.provider).toBe("groq");
    expect(client.model).toBe("llama-3.1-8b");
    expect(response.provider).toBe("groq");
    expect(calls).toBe(1);
  });
});

describe("provider definition", () => {
  it("registers with a ProviderRegistry and creates working clients", async () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    expect(registry.types()).toEqual(["openai"]);
    expect(provider).toMatchObject({
      type: "openai",
      packageName: "@llm/provider-openai",
      apiKeyEnv: ["OPENAI_API_KEY"],
    });
    mock.enqueue({ text: "registered" });
    const client = registry.create("openai", {
      baseURL: mock.baseURL,
      apiKey: "sk-test-0123456789",
      model: "m",
    });
    expect(client.provider).toBe("openai");
    expect((await client.generate(hi)).text).toBe("registered");
  });
});

describe("cache scope", () => {
  it("names the default endpoint when no baseURL is configured, without the key", () => {
    const client = createOpenAI({ apiKey: "sk-scope-test-1234567890", env: {} });
    expect(client.cacheScope.instance).toBe(`openai ${OPENAI_DEFAULT_BASE_URL}/chat/completions`);
    expect(client.cacheScope.instance).not.toContain("sk-scope-test");
  });

  it("includes the organization and project, which select the account that answers", () => {
    const client = createOpenAI({
      apiKey: "sk-x",
      baseURL: "HTTPS://API.OPENAI.COM:443/v1/",
      organization: "org-1",
      project: "proj_1",
      env: {},
    });
    expect(client.cacheScope.instance).toBe(
      `openai ${OPENAI_DEFAULT_BASE_URL}/chat/completions openai-organization=org-1 openai-project=proj_1`,
    );
  });

  it("gives two keys one instance but different credential tags", () => {
    const a = createOpenAI({ apiKey: "sk-a", env: {} }).cacheScope;
    const b = createOpenAI({ apiKey: "sk-b", env: {} }).cacheScope;
    expect(a.instance).toBe(b.instance);
    expect(a.credentialTag("k")).not.toBe(b.credentialTag("k"));
  });
});
