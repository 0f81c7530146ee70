import {
  ContextLengthError,
  type HttpErrorInfo,
  httpErrorFromResponse,
  isRecord,
  type LLMError,
  ProviderError,
  RateLimitError,
  redactSecrets,
} from "@llm/core";

const PROVIDER = "bedrock";

/** Bedrock's way of saying the prompt does not fit ("Input is too long for requested model."). */
const TOO_LONG = /input is too long|too many input tokens|exceeds? the (?:maximum|context)/i;

/**
 * A failed HTTP answer → the error family. Bedrock names the error in the
 * `x-amzn-errortype` header (`ThrottlingException:http://internal.amazon.com/…`)
 * and puts only `{"message": …}` in the body; the status carries the rest
 * through core's table: 403 `AccessDeniedException` / `UnrecognizedClientException`
 * → `AuthenticationError`, 429 `ThrottlingException` → `RateLimitError`, 400
 * `ValidationException` → `InvalidRequestError` (or `ContextLengthError` when
 * the input is too long), 408 `ModelTimeoutException` and 5xx
 * (`InternalServerException`, `ServiceUnavailableException`) → retryable
 * `ProviderError`. The request id comes from `x-amzn-requestid`.
 */
export function mapBedrockError(info: HttpErrorInfo): LLMError {
  const type = errorTypeOf(info.headers) ?? bodyType(info.bodyText);
  const message = bodyMessage(info.bodyText);
  const headers = withRequestId(info.headers);
  const full: HttpErrorInfo = { ...info, headers };
  if (type !== undefined) full.type = type;
  if (message !== undefined) full.message = message;
  if (info.status === 400 && message !== undefined && TOO_LONG.test(message)) {
    return new ContextLengthError(`${PROVIDER} returned HTTP 400 ${type ?? ""}: ${message}`, {
      provider: PROVIDER,
    });
  }
  return httpErrorFromResponse(full);
}

/**
 * The HTTP status each ConverseStream exception stands for (the API reference's
 * table), so an exception mid-stream maps — and retries — like the same
 * failure before the headers.
 */
const STATUS_BY_EXCEPTION: Record<string, number> = {
  throttlingException: 429,
  validationException: 400,
  accessDeniedException: 403,
  resourceNotFoundException: 404,
  modelTimeoutException: 408,
  internalServerException: 500,
  serviceUnavailableException: 503,
  modelNotReadyException: 429,
};

/**
 * An exception message inside a 200 ConverseStream (`:message-type exception`,
 * `:exception-type throttlingException` and a `{"message": …}` payload) → the
 * error family. `modelStreamErrorException` (the model failed mid-answer, 424
 * in the API reference) is retryable: a new attempt is a new generation.
 */
export function bedrockStreamException(
  exceptionType: string,
  payload: string,
  headers: Record<string, string>,
): LLMError {
  const message = bodyMessage(payload) ?? exceptionType;
  const requestId = headers["x-amzn-requestid"];
  const suffix = requestId ? ` (request id ${requestId})` : "";
  if (exceptionType === "modelStreamErrorException") {
    return new ProviderError(`${PROVIDER} stream failed: ${exceptionType}: ${message}${suffix}`, {
      provider: PROVIDER,
      status: 424,
      retryable: true,
      body: payload,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  const status = STATUS_BY_EXCEPTION[exceptionType];
  if (status === 429) {
    return new RateLimitError(`${PROVIDER} stream failed: ${exceptionType}: ${message}${suffix}`, {
      provider: PROVIDER,
      status,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  return mapBedrockError({
    provider: PROVIDER,
    status: status ?? 500,
    headers: { ...headers, "x-amzn-errortype": exceptionType },
    bodyText: payload,
  });
}

/** `ThrottlingException:http://internal.amazon.com/coral/…` → `ThrottlingException`. */
function errorTypeOf(headers: Record<string, string>): string | undefined {
  const raw = headers["x-amzn-errortype"];
  if (raw === undefined || raw === "") return undefined;
  const colon = raw.indexOf(":");
  return colon === -1 ? raw : raw.slice(0, colon);
}

function parseBody(bodyText: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bodyText);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function bodyMessage(bodyText: string): string | undefined {
  const body = parseBody(bodyText);
  const message = body?.message ?? body?.Message;
  return typeof message === "string" ? redactSecrets(message) : undefined;
}

/** Some proxies put the type in the body (`__type`), as the JSON 1.1 protocol does. */
function bodyType(bodyText: string): string | undefined {
  const type = parseBody(bodyText)?.__type;
  if (typeof type !== "string") return undefined;
  const hash = type.lastIndexOf("#");
  return hash === -1 ? type : type.slice(hash + 1);
}

/** Core reads `x-request-id`; Bedrock sends `x-amzn-requestid`. */
function withRequestId(headers: Record<string, string>): Record<string, string> {
  const id = headers["x-amzn-requestid"];
  return id === undefined || headers["x-request-id"] !== undefined
    ? headers
    : { ...headers, "x-request-id": id };
}
