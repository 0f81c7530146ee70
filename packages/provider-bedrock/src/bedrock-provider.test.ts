import { AuthenticationError, ConfigError, ProviderRegistry } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type BedrockProviderSettings, bedrockEndpoint, createBedrock, provider } from "./index.js";

const MODEL = "amazon.nova-lite-v1:0";
const hello = { messages: [{ role: "user" as const, content: "Hello" }] };
let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "bedrock" });
});
afterAll(() => mock.close());
afterEach(() => {
  vi.unstubAllEnvs();
  mock.reset();
});

const keys = { accessKeyId: "AKIDPROVIDER", secretAccessKey: "provider-secret-000" };

describe("createBedrock settings", () => {
  it("needs a region for SigV4, naming the setting and the variables", () => {
    const error = (() => {
      try {
        createBedrock({ ...keys, env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ issues: [{ path: "region" }] });
    expect(String(error)).toContain("AWS_REGION");
  });

  it("rejects a region that is not an AWS region name", () => {
    expect(() => createBedrock({ ...keys, region: "us-east-1.evil.com/", env: {} })).toThrow(
      /not an AWS region/,
    );
  });

  it("uses the region's public endpoint, from AWS_REGION or AWS_DEFAULT_REGION", () => {
    const a = createBedrock({ ...keys, env: { AWS_REGION: "eu-central-1" } });
    expect(a.cacheScope.instance).toBe(
      `bedrock ${bedrockEndpoint("eu-central-1")} region=eu-central-1`,
    );
    const b = createBedrock({ ...keys, env: { AWS_DEFAULT_REGION: "ap-southeast-2" } });
    expect(b.cacheScope.instance).toContain("https://bedrock-runtime.ap-southeast-2.amazonaws.com");
  });

  it("reads the region from an AWS endpoint given as baseURL", () => {
    const c = createBedrock({
      ...keys,
      baseURL: "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com",
      env: {},
    });
    expect(c.cacheScope.instance).toContain("region=us-gov-west-1");
  });

  it("takes the endpoint from AWS_ENDPOINT_URL_BEDROCK_RUNTIME, and rejects a bad one", () => {
    const c = createBedrock({
      ...keys,
      region: "us-east-1",
      env: { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: "https://vpce-1.bedrock-runtime.example/" },
    });
    expect(c.cacheScope.instance).toBe(
      "bedrock https://vpce-1.bedrock-runtime.example region=us-east-1",
    );
    expect(() =>
      createBedrock({ ...keys, region: "us-east-1", baseURL: "ftp://x", env: {} }),
    ).toThrow(ConfigError);
  });

  it("wants accessKeyId and secretAccessKey together", () => {
    expect(() => createBedrock({ region: "us-east-1", accessKeyId: "AKID", env: {} })).toThrow(
      expect.objectContaining({ issues: [{ path: "secretAccessKey", message: "missing" }] }),
    );
  });

  it("rejects empty credentials as an AuthenticationError", () => {
    expect(() =>
      createBedrock({ region: "us-east-1", accessKeyId: " ", secretAccessKey: "x", env: {} }),
    ).toThrow(AuthenticationError);
  });
});

describe("credentials", () => {
  it("signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN of settings.env", async () => {
    const c = createBedrock({
      baseURL: mock.baseURL,
      model: MODEL,
      env: {
        AWS_REGION: "us-west-2",
        AWS_ACCESS_KEY_ID: "AKIDFROMENV",
        AWS_SECRET_ACCESS_KEY: "env-secret",
        AWS_SESSION_TOKEN: "env-token",
      },
    });
    await c.generate(hello);
    const headers = mock.requests[0]?.headers;
    expect(headers?.authorization).toMatch(
      /Credential=AKIDFROMENV\/\d{8}\/us-west-2\/bedrock\/aws4_request/,
    );
    expect(headers?.["x-amz-security-token"]).toBe("env-token");
  });

  it("falls back to the AWS SDK's default chain, which reads the process environment", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDFROMCHAIN");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "chain-secret");
    const c = createBedrock({ region: "us-east-1", baseURL: mock.baseURL, model: MODEL });
    await c.generate(hello);
    expect(mock.requests[0]?.headers.authorization).toContain("Credential=AKIDFROMCHAIN/");
  });

  it("fails a call with an AuthenticationError when the chain finds nothing", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");
    vi.stubEnv("AWS_PROFILE", "");
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
    vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/config");
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    vi.stubEnv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "");
    vi.stubEnv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "");
    vi.stubEnv("AWS_WEB_IDENTITY_TOKEN_FILE", "");
    const c = createBedrock({
      region: "us-east-1",
      baseURL: mock.baseURL,
      model: MODEL,
      profile: "nobody",
    });
    const error = await c.generate(hello).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(String(error)).toContain("No AWS credentials for bedrock");
    expect(mock.requests).toHaveLength(0);
  });
});

describe("cache scope", () => {
  it("names provider, endpoint and region, and tags the account by access key id, never a secret", () => {
    const base = { region: "us-east-1", baseURL: mock.baseURL, env: {} };
    const a = createBedrock({ ...base, ...keys }).cacheScope;
    const sameKeyOtherSecret = createBedrock({
      ...base,
      accessKeyId: keys.accessKeyId,
      secretAccessKey: "rotated",
    }).cacheScope;
    const otherKey = createBedrock({
      ...base,
      accessKeyId: "AKIDOTHER",
      secretAccessKey: keys.secretAccessKey,
    }).cacheScope;
    const otherRegion = createBedrock({ ...base, ...keys, region: "eu-west-1" }).cacheScope;
    expect(a.instance).toBe(`bedrock ${mock.baseURL} region=us-east-1`);
    expect(a.instance).not.toContain(keys.secretAccessKey);
    expect(a.credentialTag("k")).toBe(sameKeyOtherSecret.credentialTag("k"));
    expect(a.credentialTag("k")).not.toBe(otherKey.credentialTag("k"));
    expect(otherRegion.instance).not.toBe(a.instance);
  });

  it("keeps settings.defaults in the scope", () => {
    const c = createBedrock({
      ...keys,
      region: "us-east-1",
      env: {},
      defaults: { temperature: 0 },
    });
    expect(c.cacheScope.instance).toContain('defaults={"temperature":0}');
  });
});

describe("registry", () => {
  it("registers as type bedrock and creates a working client from settings", async () => {
    const registry = new ProviderRegistry();
    registry.register(provider);
    const settings: BedrockProviderSettings = {
      model: MODEL,
      baseURL: mock.baseURL,
      region: "us-east-1",
      ...keys,
      env: {},
    };
    const c = registry.create("bedrock", settings);
    expect(c.provider).toBe("bedrock");
    expect((await c.generate(hello)).text).not.toBe("");
    expect(provider.apiKeyEnv).toEqual(["AWS_BEARER_TOKEN_BEDROCK"]);
  });
});
