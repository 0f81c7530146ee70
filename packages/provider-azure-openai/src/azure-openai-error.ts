import {
  ContentFilterError,
  type HttpErrorInfo,
  isRecord,
  type LLMError,
  type LLMErrorOptions,
  parseRetryAfter,
  RateLimitError,
  redactSecrets,
} from "@llm/core";
import { openAIErrorFromResponse } from "@llm/provider-openai";
import {
  type AzureContentFilterResults,
  type AzureErrorObject,
  filteredCategories,
} from "./azure-openai-api.js";

/**
 * Azure's content filter refused the prompt (HTTP 400, `code: "content_filter"`).
 * Not retryable: the same prompt is refused again. `contentFilterResult` holds
 * Azure's per-category verdicts, `filtered` the categories that tripped.
 */
export class AzureContentFilterError extends ContentFilterError {
  override readonly code: string = "CONTENT_FILTER";
  readonly status: number;
  /** `innererror.code`, e.g. `ResponsibleAIPolicyViolation`. */
  readonly innerCode?: string;
  /** What was judged: `prompt` (Azure's `param`). */
  readonly param?: string;
  readonly contentFilterResult?: AzureContentFilterResults;
  /** The categories that were filtered, with their severity: `["violence (high)"]`. */
  readonly filtered: string[];
  readonly requestId?: string;

  constructor(
    message: string,
    options: LLMErrorOptions & {
      status: number;
      innerCode?: string;
      param?: string;
      contentFilterResult?: AzureContentFilterResults;
      requestId?: string;
    },
  ) {
    super(message, options);
    this.status = options.status;
    this.filtered = filteredCategories(options.contentFilterResult);
    if (options.innerCode !== undefined) this.innerCode = options.innerCode;
    if (options.param !== undefined) this.param = options.param;
    if (options.contentFilterResult !== undefined)
      this.contentFilterResult = options.contentFilterResult;
    if (options.requestId !== undefined) this.requestId = options.requestId;
  }
}

/** Azure's 429 message says how long to wait when no header does: "Please retry after 6 seconds." */
const RETRY_AFTER_IN_MESSAGE = /retry after (\d{1,5}) seconds?/i;

/**
 * A failed Azure OpenAI answer → the error family. Azure answers in OpenAI's
 * format (so `@llm/provider-openai`'s mapping applies) except where its own
 * gateway answers:
 * - a content-filter 400 (`code: "content_filter"`, or `innererror.code:
 *   "ResponsibleAIPolicyViolation"`) → `AzureContentFilterError` with the verdicts;
 * - a 429 whose only retry hint is in the message → `RateLimitError` with that hint
 *   (`retry-after-ms` / `retry-after` headers win when present).
 */
export function azureOpenAIErrorFromResponse(info: HttpErrorInfo): LLMError {
  const error = parseErrorObject(info.bodyText);
  const inner = isRecord(error?.innererror) ? error.innererror : undefined;
  const requestId = info.headers["apim-request-id"] ?? info.headers["x-request-id"];
  if (error?.code === "content_filter" || inner?.code === "ResponsibleAIPolicyViolation") {
    const result = isRecord(inner?.content_filter_result)
      ? (inner.content_filter_result as AzureContentFilterResults)
      : undefined;
    const categories = filteredCategories(result);
    const what = typeof error?.param === "string" ? error.param : "request";
    return new AzureContentFilterError(
      `${info.provider} content filter blocked the ${what}${categories.length > 0 ? `: ${categories.join(", ")}` : ""}`,
      {
        provider: info.provider,
        status: info.status,
        ...(typeof inner?.code === "string" ? { innerCode: inner.code } : {}),
        ...(typeof error?.param === "string" ? { param: error.param } : {}),
        ...(result === undefined ? {} : { contentFilterResult: result }),
        ...(requestId === undefined ? {} : { requestId }),
      },
    );
  }
  const mapped = openAIErrorFromResponse(info.status, info.headers, info.bodyText, info.provider);
  if (
    mapped instanceof RateLimitError &&
    mapped.retryAfterMs === undefined &&
    parseRetryAfter(info.headers) === undefined
  ) {
    const seconds = RETRY_AFTER_IN_MESSAGE.exec(error?.message ?? "")?.[1];
    if (seconds !== undefined) {
      return new RateLimitError(mapped.message, {
        provider: info.provider,
        status: mapped.status,
        retryable: mapped.retryable,
        retryAfterMs: Number(seconds) * 1000,
        ...(requestId === undefined ? {} : { requestId }),
      });
    }
  }
  return mapped;
}

function parseErrorObject(bodyText: string): AzureErrorObject | undefined {
  if (bodyText.length === 0 || bodyText.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    const body: unknown = JSON.parse(bodyText);
    if (!isRecord(body) || !isRecord(body.error)) return undefined;
    const error = body.error as AzureErrorObject;
    if (typeof error.message === "string") error.message = redactSecrets(error.message);
    return error;
  } catch {
    return undefined;
  }
}
