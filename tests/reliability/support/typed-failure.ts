import { ConfigError, isLLMError, ParseError } from "@llm/core";
import { expect } from "vitest";

/**
 * Asserts `error` is one of the project's typed errors — an `LLMError` — and,
 * where its type names a place (`ParseError.where`, `ConfigError` issue paths),
 * that the place is not empty: a raw TypeError / RangeError / SyntaxError fails here.
 */
export function expectTypedFailure(error: unknown): void {
  expect(isLLMError(error), `not an LLMError: ${String(error)}`).toBe(true);
  if (error instanceof ParseError) expect(error.where.length, String(error)).toBeGreaterThan(0);
  if (error instanceof ConfigError) {
    for (const issue of error.issues) expect(issue.path.length, String(error)).toBeGreaterThan(0);
  }
}
