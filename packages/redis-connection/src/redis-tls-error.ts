import { LLMError } from "@llm/core";

/**
 * The TLS handshake with Redis (or a sentinel) failed: the server's certificate
 * was refused (another CA, a name it does not carry, expired), the server
 * wants a client certificate, or one side does not speak TLS. Reconnecting
 * will not fix it — the settings (or the server's) must change — so it is not
 * retryable. `cause` is the connection's own error.
 */
export class RedisTLSError extends LLMError {
  override readonly code: string = "REDIS_TLS";
}

/** Node's codes for a certificate that does not verify (`tls.TLSSocket#authorizationError`). */
const VERIFY_CODES = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "HOSTNAME_MISMATCH",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);

/**
 * ioredis reports a sentinel it could not reach by message only ("All
 * sentinels are unreachable… Last error: <message>"), so the message is read
 * too: Node's verification messages all name the certificate.
 */
const TLS_MESSAGE = /certificate|altnames|\bSSL\b|\bTLS\b/i;

/**
 * `error` as a `RedisTLSError` when it is a TLS failure of a Redis connection,
 * else `undefined`. Its message is Node's (host and reason; never a password
 * or a key) plus what to check.
 */
export function asRedisTLSError(error: unknown): RedisTLSError | undefined {
  if (error instanceof RedisTLSError) return error;
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  const isTLS =
    (typeof code === "string" &&
      (VERIFY_CODES.has(code) || code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_"))) ||
    TLS_MESSAGE.test(error.message);
  if (!isTLS) return undefined;
  return new RedisTLSError(
    `TLS to Redis failed: ${error.message} (check tls.ca, tls.servername and, for mutual TLS, tls.cert and tls.key)`,
    { cause: error, retryable: false },
  );
}
