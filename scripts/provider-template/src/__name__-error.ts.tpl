import { type HttpErrorInfo, httpErrorFromResponse, type LLMError } from "@llm/core";

/**
 * A failed __Name__ answer → the `@llm/core` error family. Core's default
 * mapping reads the usual JSON error shapes and `retry-after` headers; add
 * what this API does differently (a retry hint in the body, a 400 that means
 * a bad key, …) here, and test it in `__name__-error.test.ts`.
 */
export function map__Name__Error(info: HttpErrorInfo): LLMError {
  return httpErrorFromResponse(info);
}
