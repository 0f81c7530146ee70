import { redactSecrets } from "../redact.js";
import { LLMError, type LLMErrorOptions } from "./llm-error.js";

/** A missing, malformed or rejected credential (401 / 403). Never retryable. */
export class AuthenticationError extends LLMError {
  override readonly code: string = "AUTHENTICATION";
  readonly status?: number;
  constructor(message: string, options: LLMErrorOptions & { status?: number } = {}) {
    super(message, { ...options, retryable: false });
    if (options.status !== undefined) this.status = options.status;
  }
}

/** 429 or a provider's overload signal. `retryAfterMs` carries the provider's hint when it gave one. */
export class RateLimitError extends LLMError {
  override readonly code: string = "RATE_LIMIT";
  readonly status: number;
  readonly retryAfterMs?: number;
  readonly requestId?: string;
  constructor(
    message: string,
    options: LLMErrorOptions & { status?: number; retryAfterMs?: number; requestId?: string } = {},
  ) {
    super(message, { retryable: true, ...options });
    this.status = options.status ?? 429;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.requestId !== undefined) this.requestId = options.requestId;
  }
}

export type TimeoutPhase = "total" | "connect" | "first-byte" | "first-token" | "idle" | "queue";

export class TimeoutError extends LLMError {
  override readonly code: string = "TIMEOUT";
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number;
  constructor(phase: TimeoutPhase, timeoutMs: number, options: LLMErrorOptions = {}) {
    super(`Timed out after ${timeoutMs} ms waiting for ${phase}`, { retryable: true, ...options });
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}

/** The prompt does not fit the model's context window. Retrying the same request cannot help. */
export class ContextLengthError extends LLMError {
  override readonly code: string = "CONTEXT_LENGTH";
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(message, { ...options, retryable: false });
  }
}

/** The provider rejected the request as malformed (400 / 404 / 422). */
export class InvalidRequestError extends LLMError {
  override readonly code: string = "INVALID_REQUEST";
  readonly status?: number;
  constructor(message: string, options: LLMErrorOptions & { status?: number } = {}) {
    super(message, { ...options, retryable: false });
    if (options.status !== undefined) this.status = options.status;
  }
}

/** The provider blocked the prompt or the answer. */
export class ContentFilterError extends LLMError {
  override readonly code: string = "CONTENT_FILTER";
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(message, { ...options, retryable: false });
  }
}

const BODY_EXCERPT_LENGTH = 500;

/** Any other non-success answer from a provider. 408, 409, 429 and 5xx are retryable. */
export class ProviderError extends LLMError {
  override readonly code: string = "PROVIDER";
  readonly status: number;
  readonly requestId?: string;
  /** The first 500 characters of the body, redacted. */
  readonly bodyExcerpt?: string;
  readonly retryAfterMs?: number;
  constructor(
    message: string,
    options: LLMErrorOptions & {
      status: number;
      requestId?: string;
      body?: string;
      retryAfterMs?: number;
    },
  ) {
    const status = options.status;
    super(message, {
      retryable: status === 408 || status === 409 || status === 429 || status >= 500,
      ...options,
    });
    this.status = status;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.body !== undefined) {
      this.bodyExcerpt = redactSecrets(options.body.slice(0, BODY_EXCERPT_LENGTH));
    }
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** The connection failed or broke (reset, refused, DNS, socket closed mid-body). */
export class NetworkError extends LLMError {
  override readonly code: string = "NETWORK";
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** The caller aborted. Never retried, never falls back. */
export class AbortError extends LLMError {
  override readonly code: string = "ABORTED";
  constructor(message = "The request was aborted", options: LLMErrorOptions = {}) {
    super(message, { ...options, retryable: false });
  }
}

/** A response or stream that does not parse. `where` names the position (byte offset, line, event). */
export class ParseError extends LLMError {
  override readonly code: string = "PARSE";
  readonly where: string;
  constructor(message: string, options: LLMErrorOptions & { where: string }) {
    super(`${message} (at ${options.where})`, { retryable: false, ...options });
    this.where = options.where;
  }
}

export interface ConfigIssue {
  /** Dotted key path, e.g. `clients.fast.model`. */
  path: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Invalid configuration or settings. Lists every problem at once. */
export class ConfigError extends LLMError {
  override readonly code: string = "CONFIG";
  readonly issues: ConfigIssue[];
  // Private (not an own enumerable field), so `toJSON()` stays what it was.
  readonly #summary: string;
  constructor(message: string, options: LLMErrorOptions & { issues?: ConfigIssue[] } = {}) {
    const issues = options.issues ?? [];
    const detail = issues
      .map((i) => {
        const at = i.file ? ` (${i.file}${i.line ? `:${i.line}:${i.column ?? 1}` : ""})` : "";
        return `\n  - ${i.path || "<root>"}: ${i.message}${at}`;
      })
      .join("");
    super(`${message}${detail}`, { ...options, retryable: false });
    this.issues = issues;
    this.#summary = redactSecrets(message);
  }

  /**
   * The message given to the constructor, without the list of issues it
   * appends to `message` (redacted as `message` is): for a caller that quotes
   * this error inside an issue of its own.
   */
  get summary(): string {
    return this.#summary;
  }
}

/** The circuit breaker for this client is open; the call was not attempted. */
export class CircuitOpenError extends LLMError {
  override readonly code: string = "CIRCUIT_OPEN";
  readonly retryAfterMs: number;
  constructor(name: string, retryAfterMs: number, options: LLMErrorOptions = {}) {
    super(`Circuit "${name}" is open; next probe in ${retryAfterMs} ms`, {
      retryable: false,
      ...options,
    });
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Which bound an input crossed. `entryBytes`: a cache entry read back from a store.
 * `decodedBytes`: what a stored entry decodes to (a compressed cache entry's inflated size),
 * bounded apart from its stored size because a few KB of deflate can inflate to gigabytes.
 */
export type LimitName =
  | "lineBytes"
  | "eventBytes"
  | "bodyBytes"
  | "streamBytes"
  | "entryBytes"
  | "decodedBytes";

/**
 * An input from outside (a stream line, an SSE event, a response body, a decoded cache entry) grew
 * past its configured bound. Reading stops as soon as the bound is passed, so
 * the memory held is at most the limit. Not retryable: the same request would
 * get the same oversized answer.
 */
export class LimitExceededError extends LLMError {
  override readonly code: string = "LIMIT_EXCEEDED";
  /** The bound that was crossed, as named in `ResponseLimits` (`maxLineBytes` → `lineBytes`). */
  readonly limit: LimitName;
  /** The configured maximum. */
  readonly max: number;
  /** How much had arrived when reading stopped (more than `max`; the rest was never read). */
  readonly value: number;
  /** Where: e.g. `SSE line 3`, `openai response body`. */
  readonly where: string;
  constructor(
    limit: LimitName,
    max: number,
    value: number,
    where: string,
    options: LLMErrorOptions = {},
  ) {
    super(`${where} exceeds the ${limit} limit of ${max} (got at least ${value})`, {
      ...options,
      retryable: false,
    });
    this.limit = limit;
    this.max = max;
    this.value = value;
    this.where = where;
  }
}
