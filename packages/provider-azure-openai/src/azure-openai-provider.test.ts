import { AuthenticationError, ConfigError, ProviderRegistry, Secret } from "@llm/core";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import {
  AZURE_OPENAI_DEFAULT_API_VERSION,
  createAzureOpenAI,
  createAzureOpenAIEmbeddings,
  provider,
} from "./index.js";

const KEY = "azure-provider-key-0123456789";
const mock = useMockProvider({ provider: "azure-openai", apiKey: KEY });

const hi = { messages: [{ role: "user" as const, content: "Hi" }] };

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("routes", () => {
  it("calls the deployment route with the default api-version and the model as deployment", async () => {
    mock.enqueue({ text: "Hello" });
    const client = createAzureOpenAI({ baseURL: mock.baseURL, apiKey: KEY, model: "gpt-4o-mini" });
    expect((await client.generate(hi)).text).toBe("Hello");
    const request = mock.requests[0];
    expect(request?.path).toBe("/openai/deployments/gpt-4o-mini/chat/completions");
    expect(request?.query).toEqual({ "api-version": AZURE_OPENAI_DEFAULT_API_VERSION });
    expect(request?.headers["api-key"]).toBe(KEY);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toEqual({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Hi" }],
    });
  });

  it("reads the deployment and api-version from a baseURL that carries them, keeping other query parameters", async () => {
    const client = createAzureOpenAI({
      baseURL: `${mock.baseURL}/deployments/prod-4o?api-version=2025-04-01-preview&tenant=acme`,
      apiKey: KEY,
    });
    await client.generate(hi);
    const request = mock.requests[0];
    expect(request?.path).toBe("/openai/deployments/prod-4o/chat/completions");
    expect(request?.query).toEqual({ "api-version": "2025-04-01-preview", tenant: "acme" });
    expect(client.model).toBe("prod-4o");
  });

  it("lets deployment and apiVersion settings win over the environment and the default", async () => {
    const client = createAzureOpenAI({
      baseURL: mock.baseURL,
      apiKey: KEY,
      model: "gpt-4o",
      deployment: "my deployment",
      apiVersion: "2024-06-01",
      env: { OPENAI_API_VERSION: "2024-02-01" },
    });
    await client.generate(hi);
    expect(mock.requests[0]?.path).toBe("/openai/deployments/my%20deployment/chat/completions");
    expect(mock.requests[0]?.query).toEqual({ "api-version": "2024-06-01" });
    expect(mock.requests[0]?.body).toMatchObject({ model: "gpt-4o" });
  });

  it("reads the key, endpoint and api-version from the environment", async () => {
    const client = createAzureOpenAI({
      model: "gpt-4o",
      env: {
        AZURE_OPENAI_API_KEY: KEY,
        AZURE_OPENAI_ENDPOINT: mock.origin,
        AZURE_OPENAI_API_VERSION: "2024-08-01-preview",
      },
    });
    await client.generate(hi);
    expect(mock.requests[0]?.path).toBe("/openai/deployments/gpt-4o/chat/completions");
    expect(mock.requests[0]?.query).toEqual({ "api-version": "2024-08-01-preview" });
    expect(mock.requests[0]?.headers["api-key"]).toBe(KEY);
  });

  it("takes endpoint as the resource URL without /openai", async () => {
    const client = createAzureOpenAI({ endpoint: `${mock.origin}/`, apiKey: KEY, model: "d" });
    await client.generate(hi);
    expect(mock.requests[0]?.path).toBe("/openai/deployments/d/chat/completions");
  });

  it("builds the endpoint from resourceName", () => {
    const client = createAzureOpenAI({ resourceName: "contoso-eu", apiKey: KEY, model: "gpt-4o" });
    expect(client.cacheScope.instance).toContain(
      "https://contoso-eu.openai.azure.com/openai/deployments/gpt-4o/chat/completions",
    );
  });

  it("talks to /openai/v1 with model in the body when apiSurface is v1", async () => {
    const client = createAzureOpenAI({
      baseURL: mock.baseURL,
      apiSurface: "v1",
      apiKey: KEY,
      model: "gpt-4o",
      env: {},
    });
    await client.generate(hi);
    expect(mock.requests[0]?.path).toBe("/openai/v1/chat/completions");
    expect(mock.requests[0]?.query).toEqual({});
    expect(mock.requests[0]?.model).toBe("gpt-4o");
  });

  it("sends no api-version from the environment on v1, which rejects dated versions", async () => {
    const client = createAzureOpenAI({
      baseURL: `${mock.baseURL}/v1`,
      apiKey: KEY,
      model: "gpt-4o",
      env: { OPENAI_API_VERSION: "2024-10-21" },
    });
    await client.generate(hi);
    expect(mock.requests[0]?.query).toEqual({});
  });

  it("sends an api-version on v1 when one is set", async () => {
    const client = createAzureOpenAI({
      baseURL: `${mock.baseURL}/v1`,
      apiVersion: "preview",
      apiKey: KEY,
      model: "gpt-4o",
    });
    await client.generate(hi);
    expect(mock.requests[0]?.query).toEqual({ "api-version": "preview" });
  });

  it("merges providerOptions.openai and then providerOptions['azure-openai'] into the body", async () => {
    const client = createAzureOpenAI({ baseURL: mock.baseURL, apiKey: KEY, model: "d" });
    await client.generate({
      ...hi,
      providerOptions: { openai: { user: "a", n: 1 }, "azure-openai": { user: "b" } },
    });
    expect(mock.requests[0]?.body).toMatchObject({ user: "b", n: 1 });
  });

  it("sends maxTokens as max_completion_tokens unless told otherwise", () => {
    const body = (field?: "max_tokens") =>
      createAzureOpenAI({
        baseURL: mock.baseURL,
        apiKey: KEY,
        model: "d",
        ...(field ? { compatibility: { maxTokensField: field } } : {}),
        defaults: { maxTokens: 5 },
      }).buildRequestBody(hi, false);
    expect(body()).toMatchObject({ max_completion_tokens: 5 });
    expect(body("max_tokens")).toMatchObject({ max_tokens: 5 });
  });
});

describe("settings errors", () => {
  it("throws AuthenticationError naming AZURE_OPENAI_API_KEY when no key and no token provider", () => {
    const error = errorOf(() => createAzureOpenAI({ baseURL: mock.baseURL, model: "d", env: {} }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe(
      "No API key for azure-openai: set AZURE_OPENAI_API_KEY or pass apiKey",
    );
  });

  it("accepts the key as a Secret, and sends none for apiKey ''", async () => {
    await createAzureOpenAI({
      baseURL: mock.baseURL,
      apiKey: new Secret(KEY),
      model: "d",
    }).generate(hi);
    expect(mock.requests[0]?.headers["api-key"]).toBe(KEY);
    const keyless = createAzureOpenAI({ baseURL: mock.baseURL, apiKey: "", model: "d", env: {} });
    await expect(keyless.generate(hi)).rejects.toBeInstanceOf(AuthenticationError);
    expect(mock.requests[1]?.headers["api-key"]).toBeUndefined();
  });

  it("refuses apiKey together with azureADTokenProvider, at path apiKey", () => {
    const error = errorOf(() =>
      createAzureOpenAI({
        baseURL: mock.baseURL,
        apiKey: KEY,
        azureADTokenProvider: async () => "token",
        model: "d",
      }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe("apiKey");
    expect((error as Error).message).not.toContain(KEY);
  });

  it("names baseURL when no endpoint is configured anywhere", () => {
    const error = errorOf(() => createAzureOpenAI({ apiKey: KEY, model: "d", env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe("baseURL");
  });

  it("names deployment when a deployment route has neither deployment nor model", () => {
    const error = errorOf(() => createAzureOpenAI({ baseURL: mock.baseURL, apiKey: KEY }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe("deployment");
  });

  it.each([["not a url"], ["ftp://x.openai.azure.com"]])(
    "rejects baseURL %j with a ConfigError at path baseURL",
    (baseURL) => {
      const error = errorOf(() => createAzureOpenAI({ baseURL, apiKey: KEY, model: "d" }));
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]?.path).toBe("baseURL");
    },
  );

  it("rejects a resourceName that is not one, at path resourceName", () => {
    const error = errorOf(() =>
      createAzureOpenAI({ resourceName: "evil.example/x?", apiKey: KEY, model: "d" }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe("resourceName");
  });
});

describe("cache scope", () => {
  const scope = (settings: Parameters<typeof createAzureOpenAI>[0]) =>
    createAzureOpenAI({ baseURL: mock.baseURL, apiKey: KEY, ...settings }).cacheScope;

  it("names the deployment and the api-version, never the key", () => {
    const instance = scope({ deployment: "prod", apiVersion: "2024-10-21" }).instance;
    expect(instance).toContain("/openai/deployments/prod/chat/completions");
    expect(instance).toContain("api-version=2024-10-21");
    expect(instance).not.toContain(KEY);
  });

  it("differs between two deployments and two api-versions of one resource", () => {
    const base = scope({ deployment: "a", apiVersion: "2024-10-21" }).instance;
    expect(scope({ deployment: "b", apiVersion: "2024-10-21" }).instance).not.toBe(base);
    expect(scope({ deployment: "a", apiVersion: "2024-06-01" }).instance).not.toBe(base);
  });

  it("keeps an Entra ID client's scope free of tokens: the provider is not even called", () => {
    let calls = 0;
    const client = createAzureOpenAI({
      baseURL: mock.baseURL,
      azureADTokenProvider: async () => {
        calls++;
        return "eyJ0eXAiOiJKV1QifQ.secret-token";
      },
      model: "d",
      env: {},
    });
    expect(client.cacheScope.instance).not.toContain("secret-token");
    expect(calls).toBe(0);
  });
});

describe("registry", () => {
  it("registers as azure-openai with chat and embeddings", async () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    const client = registry.create("azure-openai", {
      baseURL: mock.baseURL,
      apiKey: KEY,
      model: "d",
    });
    expect(client.provider).toBe("azure-openai");
    mock.enqueue({ text: "registered" });
    expect((await client.generate(hi)).text).toBe("registered");
    const embeddings = registry.createEmbeddings("azure-openai", {
      baseURL: mock.baseURL,
      apiKey: KEY,
      model: "emb",
    });
    const result = await embeddings.embedBatch({ inputs: ["x"], dimensions: 4 });
    expect(result.embeddings[0]).toHaveLength(4);
    expect(mock.requests.at(-1)?.path).toBe("/openai/deployments/emb/embeddings");
    expect(provider.apiKeyEnv).toEqual(["AZURE_OPENAI_API_KEY"]);
  });

  it("embeds on the v1 surface with the model in the body", async () => {
    const client = createAzureOpenAIEmbeddings({
      baseURL: `${mock.baseURL}/v1`,
      apiKey: KEY,
      model: "text-embedding-3-small",
      maxInputsPerCall: 16,
      maxParallelCalls: 2,
      limits: { maxBodyBytes: 1_000_000 },
    });
    expect(client.maxInputsPerCall).toBe(16);
    await client.embedBatch({ inputs: ["a"], dimensions: 8 });
    expect(mock.requests[0]?.path).toBe("/openai/v1/embeddings");
    expect(mock.requests[0]?.body).toMatchObject({ model: "text-embedding-3-small" });
  });
});
