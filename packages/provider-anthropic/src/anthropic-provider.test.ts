import { AuthenticationError, ConfigError, ProviderRegistry, Secret } from "@llm/core";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import {
  ANTHROPIC_DEFAULT_BASE_URL,
  ANTHROPIC_VERSION,
  createAnthropic,
  provider,
} from "./index.js";

const mock = useMockProvider({ provider: "anthropic" });

const hi = { messages: [{ role: "user" as const, content: "Hi" }] };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("API key", () => {
  it("throws AuthenticationError naming ANTHROPIC_API_KEY at creation when no key is set", () => {
    const error = thrown(() => createAnthropic({ env: {} }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe(
      "No API key for anthropic: set ANTHROPIC_API_KEY or pass apiKey",
    );
    expect(thrown(() => createAnthropic({ apiKey: "  ", env: {} }))).toBeInstanceOf(
      AuthenticationError,
    );
  });

  it("reads the key and base URL from the environment", async () => {
    mock.enqueue({ text: "from env" });
    const client = createAnthropic({
      model: "claude-sonnet-4-5",
      env: { ANTHROPIC_API_KEY: "sk-ant-from-env-0123456789", ANTHROPIC_BASE_URL: mock.baseURL },
    });
    expect((await client.generate(hi)).text).toBe("from env");
    expect(mock.requests[0]?.headers["x-api-key"]).toBe("sk-ant-from-env-0123456789");
  });

  it("accepts the key as a Secret", async () => {
    mock.enqueue({ text: "ok" });
    await createAnthropic({
      baseURL: mock.baseURL,
      apiKey: new Secret("sk-ant-secret-0123456789"),
      model: "m",
    }).generate(hi);
    expect(mock.requests[0]?.headers["x-api-key"]).toBe("sk-ant-secret-0123456789");
  });
});

describe("baseURL", () => {
  it.each(["not a url", "file:///etc/passwd", ""])(
    "rejects %j with a ConfigError at path baseURL",
    (baseURL) => {
      const error = thrown(() => createAnthropic({ apiKey: "sk-ant-test-0123456789", baseURL }));
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]?.path).toBe("baseURL");
    },
  );

  it("defaults to api.anthropic.com, appends /v1/messages and tolerates a trailing slash", async () => {
    expect(ANTHROPIC_DEFAULT_BASE_URL).toBe("https://api.anthropic.com");
    expect(ANTHROPIC_VERSION).toBe("2023-06-01");
    mock.enqueue({ text: "slash" });
    const client = createAnthropic({
      baseURL: `${mock.baseURL}/`,
      apiKey: "sk-ant-test-0123456789",
      model: "m",
    });
    expect((await client.generate(hi)).text).toBe("slash");
    expect(mock.requests[0]?.path).toBe("/v1/messages");
  });
});

describe("settings", () => {
  it("rejects unknown or mistyped defaults with every issue listed", () => {
    const error = thrown(() =>
      createAnthropic({
        apiKey: "sk-ant-test-0123456789",
        defaults: { topK: "many", stop: "END", seed: 1 },
      }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      "defaults.topK",
      "defaults.stop",
      "defaults.seed",
    ]);
  });

  it("accepts stop defaults and a custom fetch", async () => {
    mock.enqueue({ text: "fetched" });
    let calls = 0;
    const client = createAnthropic({
      baseURL: mock.baseURL,
      apiKey: "sk-ant-test-0123456789",
      model: "claude-haiku-4-5",
      defaults: { stop: ["###"] },
      fetch: (input, init) => {
        calls++;
        return fetch(input, init);
      },
    });
    expect(client.model).toBe("claude-haiku-4-5");
    expect((await client.generate(hi)).text).toBe("fetched");
    expect(
      (mock.requests[0]?.body as { stop_sequences?: string[] } | undefined)?.stop_sequences,
    ).toEqual(["###"]);
    expect(calls).toBe(1);
  });
});

describe("provider definition", () => {
  it("registers with a ProviderRegistry and creates working clients", async () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    expect(registry.types()).toEqual(["anthropic"]);
    expect(provider).toMatchObject({
      type: "anthropic",
      packageName: "@llm/provider-anthropic",
      apiKeyEnv: ["ANTHROPIC_API_KEY"],
    });
    mock.enqueue({ text: "registered" });
    const client = registry.create("anthropic", {
      baseURL: mock.baseURL,
      apiKey: "sk-ant-test-0123456789",
      model: "m",
    });
    expect(client.provider).toBe("anthropic");
    expect((await client.generate(hi)).text).toBe("registered");
  });
});

describe("cache scope", () => {
  it("names the endpoint, API version and beta flags, without the key", () => {
    const client = createAnthropic({
      apiKey: "sk-ant-scope-1234567890",
      headers: { "anthropic-beta": "output-128k-2025-02-19" },
      env: {},
    });
    expect(client.cacheScope.instance).toBe(
      `anthropic ${ANTHROPIC_DEFAULT_BASE_URL}/v1/messages anthropic-beta=output-128k-2025-02-19 anthropic-version=${ANTHROPIC_VERSION}`,
    );
    expect(client.cacheScope.instance).not.toContain("sk-ant-scope");
  });
});
