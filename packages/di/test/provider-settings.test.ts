import { inspect } from "node:util";
import {
  type ChatRequest,
  ConfigError,
  embed,
  type ProviderDefinition,
  type ProviderSettings,
} from "@llm/core";
import { createAzureOpenAI } from "@llm/provider-azure-openai";
import { createBedrock } from "@llm/provider-bedrock";
import { createMistral } from "@llm/provider-mistral";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createLLMContainer,
  isProviderConfigSettings,
  type LLMContainer,
  TOKENS,
} from "../src/index.js";
import { packageDir, sourceConditions, tempDir } from "./helpers.js";

/**
 * `clients.<name>.providerSettings` from a YAML file: validated by the
 * provider package's `configSettings` schema, handed to its factory, scoped in
 * the cache as the same settings given in code, redacted when printed, and
 * rebuilt on a hot reload.
 */
const ask = (content: string): ChatRequest => ({ messages: [{ role: "user", content }] });
const ACCESS_KEY_ID = "AKIDPROVIDERSETTINGS";
const SECRET_ACCESS_KEY = "provider-settings-secret-access-key-0123";
const SESSION_TOKEN = "provider-settings-session-token-4567";
const AZURE_KEY = "azure-provider-settings-key-0123456789";
const MISTRAL_KEY = "mistral-provider-settings-key-0123";
const NOVA = "amazon.nova-lite-v1:0";
const env = { AWS_SECRET: SECRET_ACCESS_KEY, AWS_TOKEN: SESSION_TOKEN };

let bedrock: MockProvider;
let azure: MockProvider;
let mistral: MockProvider;
const tmp = tempDir();
const open: LLMContainer[] = [];

beforeAll(async () => {
  [bedrock, azure, mistral] = await Promise.all([
    startMockProvider({ provider: "bedrock", apiKey: ACCESS_KEY_ID }),
    startMockProvider({ provider: "azure-openai", apiKey: AZURE_KEY }),
    startMockProvider({ provider: "mistral", apiKey: MISTRAL_KEY }),
  ]);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  for (const mock of [bedrock, azure, mistral]) mock.reset();
});
afterAll(async () => {
  await Promise.all([bedrock, azure, mistral].map((mock) => mock.close()));
  tmp.remove();
});

async function start(text: string, name = "llm.yaml"): Promise<{ c: LLMContainer; file: string }> {
  const file = tmp.write(`${process.hrtime.bigint()}-${name}`, text);
  const c = await createLLMContainer({
    config: { files: [file], env },
    baseDir: packageDir,
    conditions: sourceConditions,
  });
  open.push(c);
  return { c, file };
}

const bedrockYaml = (region: string, extra = "", cache = "{ l2: { type: none } }") => `
clients:
  aws:
    provider: bedrock
    model: ${NOVA}
    baseURL: ${bedrock.baseURL}
    providerSettings:
      region: ${region}
      accessKeyId: ${ACCESS_KEY_ID}
      secretAccessKey: \${AWS_SECRET}
      sessionToken: \${AWS_TOKEN}${extra}
cache: ${cache}
`;

const azureYaml = (apiVersion: string, cache = "{ l2: { type: none } }") => `
clients:
  support:
    provider: azure-openai
    model: gpt-4o
    apiKey: ${AZURE_KEY}
    baseURL: ${azure.baseURL}
    providerSettings: { deployment: gpt-4o-prod, apiVersion: ${apiVersion} }
cache: ${cache}
`;

/** Rewrites the config file, reloads it and waits for the clients' rebuild; whether it was applied. */
async function reloadWith(c: LLMContainer, file: string, text: string): Promise<boolean> {
  tmp.write(file.slice(tmp.dir.length + 1), text);
  const applied = await c.get(TOKENS.ConfigManager).reload();
  await c.clients.settled();
  return applied;
}

async function startError(text: string): Promise<ConfigError> {
  const error = await start(text).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("providerSettings: bedrock", () => {
  it("signs with the region and static credentials of the YAML file (SigV4 checked by testkit)", async () => {
    vi.stubEnv("AWS_BEARER_TOKEN_BEDROCK", "");
    vi.stubEnv("AWS_REGION", "us-east-1");
    const { c } = await start(bedrockYaml("eu-west-3"));
    const answer = await c.clients.get("aws").generate(ask("hello from config"));
    expect(answer).toMatchObject({ provider: "bedrock", origin: { type: "upstream" } });
    const request = bedrock.requests[0];
    expect(request?.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/\\d{8}/eu-west-3/bedrock/aws4_request`,
      ),
    );
    expect(request?.headers["x-amz-security-token"]).toBe(SESSION_TOKEN);
  });

  it("never prints the secret access key or the session token", async () => {
    const { c } = await start(bedrockYaml("eu-west-3"));
    const config = c.get(TOKENS.Config);
    const printed = [JSON.stringify(config), inspect(config, { depth: 12 })];
    for (const output of printed) {
      expect(output).not.toContain(SECRET_ACCESS_KEY);
      expect(output).not.toContain(SESSION_TOKEN);
      expect(output).toContain("eu-west-3");
    }
  });

  it("scopes the cache by region as createBedrock in code does, and never by the credentials", async () => {
    vi.stubEnv("AWS_BEARER_TOKEN_BEDROCK", "");
    const { c } = await start(bedrockYaml("eu-west-3", "", "{ enabled: false }"));
    const inCode = (region: string, secretAccessKey: string) =>
      createBedrock({
        model: NOVA,
        baseURL: bedrock.baseURL,
        region,
        accessKeyId: ACCESS_KEY_ID,
        secretAccessKey,
        env: {},
      }).cacheScope.instance;
    const fromConfig = c.clients.get("aws").cacheScope?.instance;
    expect(fromConfig).toBe(inCode("eu-west-3", "another-secret-key"));
    expect(fromConfig).toContain("region=eu-west-3");
    expect(fromConfig).not.toBe(inCode("us-west-2", SECRET_ACCESS_KEY));
    expect(fromConfig).not.toContain(SECRET_ACCESS_KEY);
  });

  it("rebuilds the client when a hot reload changes its region", async () => {
    vi.stubEnv("AWS_BEARER_TOKEN_BEDROCK", "");
    const { c, file } = await start(bedrockYaml("eu-west-3"));
    const client = c.clients.get("aws");
    await client.generate(ask("before the reload"));
    await expect(reloadWith(c, file, bedrockYaml("ap-southeast-2"))).resolves.toBe(true);
    await client.generate(ask("after the reload"));
    expect(
      bedrock.requests.map((r) => /\/(\w{2}-\w+-\d)\//.exec(r.headers.authorization ?? "")?.[1]),
    ).toEqual(["eu-west-3", "ap-southeast-2"]);
    expect(client.cacheScope?.instance).toContain("region=ap-southeast-2");
  });

  it("rejects a hot reload with an invalid setting and keeps serving the running client", async () => {
    vi.stubEnv("AWS_BEARER_TOKEN_BEDROCK", "");
    const { c, file } = await start(bedrockYaml("eu-west-3"));
    const manager = c.get(TOKENS.ConfigManager);
    const errors: ConfigError[] = [];
    manager.onError((error) => errors.push(error));
    tmp.write(
      file.slice(tmp.dir.length + 1),
      bedrockYaml("eu-west-3", "\n      regoin: us-east-1"),
    );
    await expect(manager.reload()).resolves.toBe(false);
    expect(errors[0]?.issues[0]).toMatchObject({
      path: "clients.aws.providerSettings.regoin",
      message: expect.stringContaining('unknown key "regoin"'),
      line: 12,
    });
    await c.clients.get("aws").generate(ask("still running"));
    expect(bedrock.requests[0]?.headers.authorization).toContain("/eu-west-3/bedrock/");
  });
});

describe("providerSettings: validation at start", () => {
  it("names the client and the key path of an unknown key", async () => {
    const error = await startError(bedrockYaml("eu-west-3", "\n      regoin: us-east-1"));
    expect(error.issues).toEqual([
      {
        path: "clients.aws.providerSettings.regoin",
        message: expect.stringContaining(
          'unknown key "regoin" (known keys: region, accessKeyId, secretAccessKey, sessionToken, profile)',
        ),
        file: expect.stringContaining("llm.yaml"),
        line: 12,
        column: 15,
      },
    ]);
  });

  it("reports a value of the wrong form without quoting it", async () => {
    const error = await startError(bedrockYaml("Europe/Paris"));
    expect(error.issues[0]).toMatchObject({
      path: "clients.aws.providerSettings.region",
      message: "does not have the expected form: an AWS region name such as us-east-1",
      line: 8,
    });
    expect(error.message).not.toContain("Europe/Paris");
  });

  it("accepts an empty providerSettings block for a provider that has no settings of its own", async () => {
    const { c } = await start(`
clients:
  wide: { provider: gemini, model: gemini-2.0-flash, apiKey: AIzaKey0123456789, providerSettings: {} }
`);
    expect(c.clients.get("wide").provider).toBe("gemini");
  });

  it("refuses providerSettings for a provider whose package exports no schema", async () => {
    const error = await startError(`
clients:
  wide: { provider: gemini, model: gemini-2.0-flash, apiKey: AIzaKey0123456789, providerSettings: { location: eu } }
`);
    expect(error.issues[0]).toMatchObject({
      path: "clients.wide.providerSettings",
      message: expect.stringContaining('provider "gemini" takes no providerSettings'),
    });
  });
});

describe("providerSettings: azure-openai", () => {
  it("calls the deployment and api-version of the YAML file", async () => {
    const { c } = await start(azureYaml("2025-04-01-preview"));
    azure.enqueue({ text: "Refunds within 30 days." });
    const answer = await c.clients.get("support").generate(ask("refunds?"));
    expect(answer.text).toBe("Refunds within 30 days.");
    expect(azure.requests[0]?.path).toBe("/openai/deployments/gpt-4o-prod/chat/completions");
    expect(azure.requests[0]?.query).toEqual({ "api-version": "2025-04-01-preview" });
  });

  it("scopes the cache by deployment and api-version, as createAzureOpenAI in code does", async () => {
    const { c } = await start(azureYaml("2024-10-21", "{ enabled: false }"));
    const inCode = createAzureOpenAI({
      model: "gpt-4o",
      apiKey: AZURE_KEY,
      baseURL: azure.baseURL,
      deployment: "gpt-4o-prod",
      apiVersion: "2024-10-21",
    }).cacheScope?.instance;
    expect(c.clients.get("support").cacheScope?.instance).toBe(inCode);
    expect(inCode).toContain("gpt-4o-prod");
    expect(inCode).toContain("2024-10-21");
  });

  it("asks the new api-version after a hot reload instead of answering from the old one's cache", async () => {
    const { c, file } = await start(azureYaml("2024-10-21"));
    const client = c.clients.get("support");
    await client.generate(ask("same question"));
    await expect(reloadWith(c, file, azureYaml("2025-04-01-preview"))).resolves.toBe(true);
    const after = await client.generate(ask("same question"));
    expect(after.origin).toEqual({ type: "upstream" });
    expect(azure.requests.map((r) => r.query["api-version"])).toEqual([
      "2024-10-21",
      "2025-04-01-preview",
    ]);
  });
});

describe("providerSettings: embeddings", () => {
  it("embeds through the embedding deployment named in providerSettings", async () => {
    const { c } = await start(`
clients:
  search:
    provider: azure-openai
    model: text-embedding-3-small
    apiKey: ${AZURE_KEY}
    baseURL: ${azure.baseURL}
    providerSettings: { deployment: embeddings-eu, apiVersion: 2024-06-01 }
`);
    const vector = await embed(c.embeddings.get("search"), "refund policy", { dimensions: 16 });
    expect(vector.embedding).toHaveLength(16);
    expect(azure.requests[0]?.path).toBe("/openai/deployments/embeddings-eu/embeddings");
    expect(azure.requests[0]?.query).toEqual({ "api-version": "2024-06-01" });
  });
});

describe("providerSettings: mistral", () => {
  it("sends safe_prompt on every request when safePrompt is set", async () => {
    const { c } = await start(`
clients:
  writer:
    provider: mistral
    model: mistral-small-latest
    apiKey: ${MISTRAL_KEY}
    baseURL: ${mistral.baseURL}
    providerSettings: { safePrompt: true }
`);
    await c.clients.get("writer").generate(ask("say hi"));
    expect(mistral.requests[0]?.body).toMatchObject({ safe_prompt: true });
  });
});

describe("providerSettings: plumbing", () => {
  it("reaches sessionToken from an environment override spelled in capitals", async () => {
    vi.stubEnv("AWS_BEARER_TOKEN_BEDROCK", "");
    const file = tmp.write(`${process.hrtime.bigint()}-env.yaml`, bedrockYaml("eu-west-3"));
    const c = await createLLMContainer({
      config: {
        files: [file],
        env: { ...env, LLM__CLIENTS__AWS__PROVIDER_SETTINGS__SESSION_TOKEN: "token-from-override" },
      },
      baseDir: packageDir,
      conditions: sourceConditions,
    });
    open.push(c);
    await c.clients.get("aws").generate(ask("override"));
    expect(bedrock.requests[0]?.headers["x-amz-security-token"]).toBe("token-from-override");
  });

  it("takes the schema of a provider registered in code from providerConfigSettings", async () => {
    const seen: ProviderSettings[] = [];
    const house: ProviderDefinition = {
      type: "house",
      create: (settings) => {
        seen.push(settings);
        return createMistral({ ...settings, apiKey: MISTRAL_KEY, baseURL: mistral.baseURL });
      },
    };
    const houseSettings = {
      type: "house",
      schema: { type: "object", properties: { tier: { enum: ["gold", "silver"] } } },
      toProviderSettings: (values: { tier?: string }) => ({
        headers: { "x-tier": values.tier ?? "" },
      }),
    };
    expect(isProviderConfigSettings(houseSettings)).toBe(true);
    expect(isProviderConfigSettings({ type: "house" })).toBe(false);
    const file = tmp.write(
      `${process.hrtime.bigint()}-house.yaml`,
      "clients:\n  h: { provider: house, model: m1, providerSettings: { tier: gold } }\n",
    );
    const c = await createLLMContainer({
      config: { files: [file], env: {} },
      baseDir: packageDir,
      providers: [house],
      providerConfigSettings: [houseSettings],
    });
    open.push(c);
    c.clients.get("h");
    expect(seen[0]).toMatchObject({ model: "m1", headers: { "x-tier": "gold" } });
  });
});
