import {
  AuthenticationError,
  ConfigError,
  registerSecretValue,
  revealSecret,
  type Secret,
} from "@llm/core";

const PROVIDER = "bedrock";

/** AWS credentials as the signer needs them. Secret parts may be `Secret`s. */
export interface BedrockCredentials {
  accessKeyId: string;
  secretAccessKey: string | Secret;
  sessionToken?: string | Secret;
  /** When temporary credentials stop working; a provider function is asked again after it. */
  expiration?: Date;
}

/** Resolved credentials, secrets revealed: only the signer ever sees this. */
export interface ResolvedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A function that returns (possibly refreshed) credentials, e.g. one of `@aws-sdk/credential-providers`. */
export type BedrockCredentialProvider = () => Promise<BedrockCredentials>;

export interface CredentialSource {
  /** What the credentials are, for the cache's credential tag: the access key id or profile, never a secret. */
  identity: string;
  provide: () => Promise<ResolvedCredentials>;
}

export interface CredentialSettings {
  accessKeyId?: string;
  secretAccessKey?: string | Secret;
  sessionToken?: string | Secret;
  credentials?: BedrockCredentials | BedrockCredentialProvider;
  /** Shared-config profile for the default chain (else `AWS_PROFILE`). */
  profile?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Where the SigV4 credentials come from, in order: `credentials` (an object,
 * or a provider function called per request — it caches and refreshes as it
 * sees fit), `accessKeyId` + `secretAccessKey` (+ `sessionToken`), the
 * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` of
 * `settings.env` when one is given, else the AWS SDK's default chain
 * (`@aws-sdk/credential-provider-node`: environment, shared config and
 * credentials files with SSO and process credentials, web identity, ECS
 * and EC2 instance metadata), loaded on first use and memoized.
 * Every secret is registered with the redactor as soon as it is known.
 */
export function credentialSource(settings: CredentialSettings): CredentialSource {
  const given = settings.credentials;
  if (typeof given === "function") {
    return { identity: "provider-function", provide: async () => resolve(await given()) };
  }
  if (given !== undefined) return fixed(given);
  if (settings.accessKeyId !== undefined || settings.secretAccessKey !== undefined) {
    if (settings.accessKeyId === undefined || settings.secretAccessKey === undefined) {
      throw new ConfigError(
        `${PROVIDER} needs accessKeyId and secretAccessKey together (only ${settings.accessKeyId === undefined ? "secretAccessKey" : "accessKeyId"} was given)`,
        {
          provider: PROVIDER,
          issues: [
            {
              path: settings.accessKeyId === undefined ? "accessKeyId" : "secretAccessKey",
              message: "missing",
            },
          ],
        },
      );
    }
    const credentials: BedrockCredentials = {
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
    };
    if (settings.sessionToken !== undefined) credentials.sessionToken = settings.sessionToken;
    return fixed(credentials);
  }
  const env = settings.env;
  if (env?.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const credentials: BedrockCredentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    };
    if (env.AWS_SESSION_TOKEN) credentials.sessionToken = env.AWS_SESSION_TOKEN;
    return fixed(credentials);
  }
  const profile = settings.profile ?? env?.AWS_PROFILE ?? process.env.AWS_PROFILE;
  return { identity: `chain:${profile ?? "default"}`, provide: defaultChain(profile) };
}

function fixed(credentials: BedrockCredentials): CredentialSource {
  const resolved = resolve(credentials);
  const ready = Promise.resolve(resolved);
  return { identity: `key:${resolved.accessKeyId}`, provide: () => ready };
}

function resolve(credentials: BedrockCredentials): ResolvedCredentials {
  const secretAccessKey = revealSecret(credentials.secretAccessKey)?.trim() ?? "";
  if (credentials.accessKeyId.trim() === "" || secretAccessKey === "") {
    throw new AuthenticationError(
      `${PROVIDER} credentials are empty (accessKeyId or secretAccessKey)`,
      {
        provider: PROVIDER,
      },
    );
  }
  registerSecretValue(secretAccessKey);
  const out: ResolvedCredentials = { accessKeyId: credentials.accessKeyId.trim(), secretAccessKey };
  const sessionToken = revealSecret(credentials.sessionToken)?.trim();
  if (sessionToken) {
    registerSecretValue(sessionToken);
    out.sessionToken = sessionToken;
  }
  if (credentials.expiration !== undefined) out.expiration = credentials.expiration;
  return out;
}

/**
 * The SDK's default chain, imported on the first call (a client with explicit
 * credentials never loads it). Its failure — no credentials anywhere — is an
 * `AuthenticationError` that says where it looked.
 */
function defaultChain(profile: string | undefined): () => Promise<ResolvedCredentials> {
  let chain: (() => Promise<BedrockCredentials>) | undefined;
  return async () => {
    try {
      if (chain === undefined) {
        const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
        chain = defaultProvider(profile === undefined ? {} : { profile });
      }
      return resolve(await chain());
    } catch (cause) {
      if (cause instanceof AuthenticationError) throw cause;
      throw new AuthenticationError(
        `No AWS credentials for ${PROVIDER}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or pass credentials (${cause instanceof Error ? cause.message : String(cause)})`,
        { provider: PROVIDER, cause },
      );
    }
  };
}
