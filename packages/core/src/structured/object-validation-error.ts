import { LLMError, type LLMErrorOptions } from "../errors/llm-error.js";
import type { FinishReason } from "../response.js";

/** One reason an answer was refused: where in the object (`items[2].price`, `""` for the root) and why. */
export interface ObjectIssue {
  path: string;
  message: string;
}

export interface ObjectValidationErrorOptions extends LLMErrorOptions {
  /** Name of the schema the answer was checked against. */
  schemaName: string;
  /** The model's raw answer. */
  text: string;
  issues: ObjectIssue[];
  finishReason?: FinishReason;
  /** Calls made, repairs included. */
  attempts?: number;
}

/** Issues named in the message; all of them stay on `issues`. */
const ISSUES_IN_MESSAGE = 3;

/**
 * The model's answer is not JSON, or is JSON that the schema refuses. Carries
 * the raw text and every issue so a caller can log, repair or fall back. Not
 * retryable by the retry middleware (the same request would likely get the
 * same answer); `generateObject`'s `maxRepairs` sends the issues back instead.
 */
export class ObjectValidationError extends LLMError {
  override readonly code: string = "OBJECT_VALIDATION";
  readonly schemaName: string;
  readonly text: string;
  readonly issues: ObjectIssue[];
  readonly finishReason?: FinishReason;
  readonly attempts: number;

  constructor(options: ObjectValidationErrorOptions) {
    const shown = options.issues
      .slice(0, ISSUES_IN_MESSAGE)
      .map((issue) => `${issue.path || "<root>"}: ${issue.message}`)
      .join("; ");
    const more =
      options.issues.length > ISSUES_IN_MESSAGE
        ? ` (+${options.issues.length - ISSUES_IN_MESSAGE} more)`
        : "";
    const truncated = options.finishReason === "length" ? " (the answer was cut at maxTokens)" : "";
    super(
      `The answer does not match the "${options.schemaName}" schema${truncated}: ${shown}${more}`,
      { ...options, retryable: false },
    );
    this.schemaName = options.schemaName;
    this.text = options.text;
    this.issues = options.issues;
    if (options.finishReason !== undefined) this.finishReason = options.finishReason;
    this.attempts = options.attempts ?? 1;
  }
}
