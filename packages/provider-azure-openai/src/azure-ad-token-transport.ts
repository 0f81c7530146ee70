import {
  AuthenticationError,
  onAbort,
  redactSecrets,
  type Transport,
  type TransportRequest,
} from "@llm/core";

/** Returns a Microsoft Entra ID access token for `https://cognitiveservices.azure.com/.default`. */
export type AzureADTokenProvider = () => Promise<string>;

/** Longest token accepted: Entra access tokens are a few KB; more is not a token. */
export const MAX_AZURE_AD_TOKEN_BYTES = 16 * 1024;
/** Visible ASCII only: a token goes into a header, where CR/LF would split it. */
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;
const MAX_REASON_CHARS = 200;

/**
 * A transport that asks `getToken` for a token on every request and sends it
 * as `Authorization: Bearer …`. Called per request, never cached here —
 * `@azure/identity`'s `getBearerTokenProvider` caches and refreshes tokens
 * itself — and the token never reaches a log, an error message or a cache
 * key: it exists only in the outgoing request's headers.
 *
 * A provider that throws, or returns something that is not a token, is an
 * `AuthenticationError` (not retryable) whose message says what was wrong
 * without repeating the value. When the call's signal aborts while the token
 * is awaited, the request goes to the transport already aborted, so it fails
 * with the transport's own `AbortError` / `TimeoutError` and sends nothing.
 */
export function withAzureADToken(
  transport: Transport,
  provider: string,
  getToken: AzureADTokenProvider,
): Transport {
  const wrapped: Transport = {
    async request(request: TransportRequest) {
      const token = await tokenOrAbort(provider, getToken, request.signal);
      if (token === undefined) return transport.request(request);
      const headers = { ...request.headers, authorization: `Bearer ${token}` };
      return transport.request({ ...request, headers });
    },
  };
  if (transport.close !== undefined)
    wrapped.close = () => (transport.close as () => Promise<void>)();
  return wrapped;
}

/** The token, or `undefined` when `signal` aborted first. */
function tokenOrAbort(
  provider: string,
  getToken: AzureADTokenProvider,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  if (signal?.aborted) return Promise.resolve(undefined);
  const token = readToken(provider, getToken);
  if (signal === undefined) return token;
  return new Promise<string | undefined>((resolve, reject) => {
    // Through core's fan-out: many calls waiting for tokens on one shared signal add one listener.
    const release = onAbort(signal, () => resolve(undefined));
    token.then(
      (value) => {
        release();
        resolve(value);
      },
      (error: unknown) => {
        release();
        reject(error);
      },
    );
  });
}

async function readToken(provider: string, getToken: AzureADTokenProvider): Promise<string> {
  let value: unknown;
  try {
    value = await getToken();
  } catch (error) {
    const reason = reasonOf(error);
    throw new AuthenticationError(
      `${provider}: azureADTokenProvider failed: ${redactSecrets(reason).slice(0, MAX_REASON_CHARS)}`,
      { provider },
    );
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw new AuthenticationError(
      `${provider}: azureADTokenProvider returned ${typeof value === "string" ? "an empty string" : typeof value}, not a token`,
      { provider },
    );
  }
  const token = value.trim();
  if (token.length > MAX_AZURE_AD_TOKEN_BYTES) {
    throw new AuthenticationError(
      `${provider}: azureADTokenProvider returned ${token.length} characters, over the ${MAX_AZURE_AD_TOKEN_BYTES} a token may have`,
      { provider },
    );
  }
  if (!TOKEN_SHAPE.test(token)) {
    throw new AuthenticationError(
      `${provider}: azureADTokenProvider returned a token with spaces or control characters`,
      { provider },
    );
  }
  return token;
}

/**
 * What a thrown value says, whatever was thrown: `String()` of an object
 * without a prototype throws, and an `Error`'s `message` can be a non-string
 * or a throwing getter — none of which may escape as a raw TypeError.
 */
function reasonOf(error: unknown): string {
  try {
    if (error instanceof Error) {
      return typeof error.message === "string" ? error.message : "an Error without a message";
    }
    if (typeof error === "string") return error;
    if (typeof error === "number" || typeof error === "boolean" || typeof error === "bigint") {
      return String(error);
    }
    return `a thrown ${error === null ? "null" : typeof error}`;
  } catch {
    return "an unreadable error";
  }
}
