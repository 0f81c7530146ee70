import { createHmac } from "node:crypto";
import {
  type CacheScope,
  ConfigError,
  createFetchTransport,
  defaultTransport,
  type EmbeddingClientSettings,
  normalizeBaseURL,
  type ProviderDefinition,
  type ProviderSettings,
  providerCacheScope,
  readRequestDefaults,
  registerSecretValue,
  revealSecret,
  type Transport,
} from "@llm/core";
import { BedrockChatClient, type BedrockChatClientConfig } from "./bedrock-chat-client.js";
import { type CredentialSettings, credentialSource } from "./bedrock-credentials.js";
import {
  BedrockEmbeddingClient,
  type BedrockEmbeddingClientConfig,
} from "./bedrock-embedding-client.js";
import { SigV4Transport } from "./bedrock-signing-transport.js";

/** A Bedrock API key (a bearer token), used instead of SigV4 when set. */
export const BEDROCK_API_KEY_ENV = "AWS_BEARER_TOKEN_BEDROCK";
/** The SDK's service-specific endpoint variable, then its global one. */
export const BEDROCK_ENDPOINT_ENV = [
  "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
  "AWS_ENDPOINT_URL",
] as const;
export const BEDROCK_REGION_ENV = ["AWS_REGION", "AWS_DEFAULT_REGION"] as const;

export interface BedrockProviderSettings extends ProviderSettings, CredentialSettings {
  /** AWS region, e.g. `us-east-1`; else `AWS_REGION`, `AWS_DEFAULT_REGION`, or the region of an AWS `baseURL`. */
  region?: string;
  /**
   * A Bedrock API key (`Authorization: Bearer`), else `AWS_BEARER_TOKEN_BEDROCK`.
   * Without one, requests are SigV4-signed with the AWS credentials.
   */
  apiKey?: ProviderSettings["apiKey"];
  /** A custom `fetch` for the default transport (ignored when `transport` is given). */
  fetch?: typeof fetch;
}

const PROVIDER = "bedrock";
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const AWS_HOST = /^bedrock-runtime(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com/;

/** The public Bedrock Runtime endpoint of a region. */
export const bedrockEndpoint = (region: string): string =>
  `https://bedrock-runtime.${region}.amazonaws.com`;

/**
 * Creates a Bedrock Runtime (Converse API) client.
 *
 * Resolved once, here: the region, the endpoint (`baseURL`, else
 * `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` / `AWS_ENDPOINT_URL`, else the region's
 * public one), the authentication — a Bedrock API key as a bearer token, or
 * else SigV4 signing with the credentials (`credentials`, `accessKeyId` /
 * `secretAccessKey` / `sessionToken`, else the AWS SDK's default chain) —
 * the static headers and the transport. A bad region or URL is a
 * `ConfigError` now, not at the first call.
 */
export function createBedrock(settings: BedrockProviderSettings = {}): BedrockChatClient {
  const defaults =
    settings.defaults === undefined
      ? undefined
      : readRequestDefaults(PROVIDER, settings.defaults, DEFAULT_KEYS);
  const connection = resolveConnection(settings, defaults);
  const config: BedrockChatClientConfig = connection;
  if (settings.model !== undefined) config.model = settings.model;
  if (settings.limits !== undefined) config.limits = settings.limits;
  if (defaults !== undefined) config.defaults = defaults;
  return new BedrockChatClient(config);
}

/**
 * Creates a Bedrock embeddings client (Titan Text Embeddings through
 * InvokeModel), from the same settings as `createBedrock`: region, endpoint,
 * credentials and transport are resolved the same way.
 */
export function createBedrockEmbeddings(
  settings: BedrockProviderSettings & EmbeddingClientSettings = {},
): BedrockEmbeddingClient {
  const connection = resolveConnection(settings, undefined);
  const config: BedrockEmbeddingClientConfig = {
    baseURL: connection.baseURL,
    headers: connection.headers,
    transport: connection.transport,
    cacheScope: connection.cacheScope,
  };
  if (settings.model !== undefined) config.model = settings.model;
  if (settings.limits !== undefined) config.limits = settings.limits;
  if (settings.maxParallelCalls !== undefined) config.maxParallelCalls = settings.maxParallelCalls;
  return new BedrockEmbeddingClient(config);
}

interface Connection {
  baseURL: string;
  headers: Record<string, string>;
  transport: Transport;
  cacheScope: CacheScope;
}

/** Region, endpoint, authentication (bearer key or SigV4), headers, transport and cache scope. */
function resolveConnection(
  settings: BedrockProviderSettings,
  defaults: Record<string, unknown> | undefined,
): Connection {
  const env = settings.env ?? process.env;
  const configuredURL = settings.baseURL ?? firstOf(env, BEDROCK_ENDPOINT_ENV);
  const region = readRegion(settings.region ?? firstOf(env, BEDROCK_REGION_ENV), configuredURL);
  const apiKey =
    revealSecret(settings.apiKey)?.trim() || env[BEDROCK_API_KEY_ENV]?.trim() || undefined;
  if (region === undefined && (configuredURL === undefined || apiKey === undefined)) {
    throw new ConfigError(
      `${PROVIDER} needs a region: set region, AWS_REGION or AWS_DEFAULT_REGION`,
      { provider: PROVIDER, issues: [{ path: "region", message: "missing" }] },
    );
  }
  const baseURL = normalizeBaseURL(PROVIDER, configuredURL ?? bedrockEndpoint(region as string));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (settings.headers) {
    for (const [key, value] of Object.entries(settings.headers)) headers[key.toLowerCase()] = value;
  }
  const inner: Transport =
    settings.transport ??
    (settings.fetch ? createFetchTransport({ fetch: settings.fetch }) : defaultTransport());
  let transport: Transport;
  let identity: string;
  if (apiKey !== undefined) {
    registerSecretValue(apiKey);
    headers.authorization = `Bearer ${apiKey}`;
    transport = inner;
    identity = `api-key:${apiKey}`;
  } else {
    const source = credentialSource({ ...settings, env: settings.env ?? {} });
    transport = new SigV4Transport(inner, region as string, source);
    identity = source.identity;
  }
  return {
    baseURL,
    headers,
    transport,
    cacheScope: bedrockCacheScope(baseURL, region, headers, defaults, identity),
  };
}

/** The `settings.defaults` keys Converse has a field for (`inferenceConfig`). */
const DEFAULT_KEYS = ["temperature", "topP", "maxTokens", "stop"] as const;

function firstOf(
  env: Record<string, string | undefined>,
  names: readonly string[],
): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** The region given, else the one in an AWS endpoint's host; checked, since it goes into a hostname and the signature. */
function readRegion(given: string | undefined, url: string | undefined): string | undefined {
  let region = given?.trim();
  if (!region && url !== undefined) {
    try {
      region = AWS_HOST.exec(new URL(url).hostname)?.[1];
    } catch {
      // normalizeBaseURL reports the bad URL
    }
  }
  if (!region) return undefined;
  if (!REGION.test(region)) {
    throw new ConfigError(
      `${PROVIDER} region ${JSON.stringify(region)} is not an AWS region name`,
      {
        provider: PROVIDER,
        issues: [{ path: "region", message: "expected a name such as us-east-1" }],
      },
    );
  }
  return region;
}

/**
 * Who answers: the endpoint and headers as core scopes them, plus the region
 * (a custom endpoint need not name it, and the signature binds it). The
 * credential tag is a keyed hash of what selects the account — the access
 * key id, the profile, or the API key — never of a secret key.
 */
function bedrockCacheScope(
  baseURL: string,
  region: string | undefined,
  headers: Record<string, string>,
  defaults: Record<string, unknown> | undefined,
  identity: string,
): CacheScope {
  const base = providerCacheScope({
    provider: PROVIDER,
    baseURL,
    headers,
    ...(defaults === undefined ? {} : { defaults }),
  });
  const instance = region === undefined ? base.instance : `${base.instance} region=${region}`;
  return {
    instance,
    credentialTag: (key) => createHmac("sha256", key).update(identity).digest("hex"),
  };
}

/** Registers with a `ProviderRegistry`: `registry.register(provider)`. */
export const provider: ProviderDefinition<BedrockProviderSettings> = {
  type: PROVIDER,
  packageName: "@llm/provider-bedrock",
  apiKeyEnv: [BEDROCK_API_KEY_ENV],
  create: createBedrock,
  createEmbeddings: createBedrockEmbeddings,
};
