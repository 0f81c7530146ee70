import { type HttpErrorInfo, httpErrorFromResponse, type LLMError } from "@llm/core";

/**
 * A failed Bedrock answer → the `@llm/core` error family. Core's default
 * mapping reads the usual JSON error shapes and `retry-after` headers; add
 * what this API does differently (a retry hint in the body, a 400 that means
 * a bad key, …) here, and test it in `bedrock-error.test.ts`.
 */
export function mapBedrockError(info: HttpErrorInfo): LLMError {
  return httpErrorFromResponse(info);
}
