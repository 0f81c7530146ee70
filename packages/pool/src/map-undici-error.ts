import { AbortError, LLMError, NetworkError, TimeoutError, type TransportRequest } from "@llm/core";

/** What the mapper needs to know about the pool a request went through. */
export interface ErrorContext {
  readonly origin: string;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNRESET: "connection reset by the server",
  ECONNREFUSED: "connection refused",
  EPIPE: "connection closed while sending",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed temporarily",
  ETIMEDOUT: "TCP connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "socket closed unexpectedly",
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "response body shorter than its content-length",
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: "request body does not match its content-length",
  UND_ERR_INFO: "protocol error",
  HPE_INVALID_CONSTANT: "invalid HTTP response",
};

/** Where, without the query string: some providers (Gemini) put the API key there. */
function describe(request: TransportRequest, origin: string): string {
  const q = request.url.indexOf("?");
  const url = q === -1 ? request.url : request.url.slice(0, q);
  return `${request.method} ${url.startsWith(origin) ? url : origin}`;
}

/**
 * undici / socket errors → the @llm/core family. An aborted signal wins over
 * whatever error the abort produced, so a caller's cancel is never retried.
 */
export function mapUndiciError(
  error: unknown,
  request: TransportRequest,
  ctx: ErrorContext,
): LLMError {
  if (error instanceof LLMError) return error;
  if (request.signal?.aborted || request.aborter?.aborted) {
    return new AbortError(`${describe(request, ctx.origin)} was aborted`, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "UND_ERR_HEADERS_TIMEOUT":
      return new TimeoutError("first-byte", request.headersTimeoutMs ?? ctx.headersTimeoutMs, {
        cause: error,
      });
    case "UND_ERR_BODY_TIMEOUT":
      return new TimeoutError("idle", request.bodyTimeoutMs ?? ctx.bodyTimeoutMs, { cause: error });
    case "UND_ERR_CONNECT_TIMEOUT":
      return new TimeoutError("connect", ctx.connectTimeoutMs, { cause: error });
    case "UND_ERR_ABORTED":
      return new AbortError(`${describe(request, ctx.origin)} was aborted`, { cause: error });
    case "UND_ERR_DESTROYED":
    case "UND_ERR_CLOSED":
      return new NetworkError(
        `${describe(request, ctx.origin)} failed: the connection pool was ${code === "UND_ERR_CLOSED" ? "closed" : "destroyed"}`,
        { cause: error, retryable: false },
      );
  }
  if ((error as { name?: unknown } | null)?.name === "AbortError") {
    return new AbortError(`${describe(request, ctx.origin)} was aborted`, { cause: error });
  }
  const reason =
    typeof code === "string"
      ? `${NETWORK_CODES[code] ?? (error as Error).message} (${code})`
      : error instanceof Error
        ? error.message
        : String(error);
  return new NetworkError(`${describe(request, ctx.origin)} failed: ${reason}`, { cause: error });
}
