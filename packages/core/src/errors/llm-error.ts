import { redactSecrets } from "../redact.js";

export interface LLMErrorOptions {
  provider?: string;
  retryable?: boolean;
  cause?: unknown;
}

/**
 * Root of every error llm-kit throws. `code` is stable and machine-readable;
 * `retryable` tells the retry middleware whether another attempt can help.
 * Messages pass through the redactor, so a key pasted into a message or a
 * provider's echoed header never escapes.
 */
export class LLMError extends Error {
  readonly code: string = "LLM_ERROR";
  readonly retryable: boolean;
  readonly provider?: string;

  constructor(message: string, options: LLMErrorOptions = {}) {
    super(
      redactSecrets(message),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
    if (options.provider !== undefined) this.provider = options.provider;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    for (const [key, value] of Object.entries(this)) {
      if (key === "cause" || value === undefined) continue;
      out[key] = typeof value === "string" ? redactSecrets(value) : value;
    }
    return out;
  }
}

export const isLLMError = (error: unknown): error is LLMError => error instanceof LLMError;
