import type { CallOptions } from "@llm/core";
import { InvalidRequestError } from "@llm/core";

/**
 * The per-call settings an AI SDK caller gives llm-kit through
 * `providerOptions.llmKit`: `{ cache?: "use" | "refresh" | "bypass" | false, timeoutMs?: number }`.
 * Anything else there is a mistake, reported with its path rather than ignored.
 */
export function readCallSettings(given: unknown): Pick<CallOptions, "metadata" | "timeoutMs"> {
  if (given === undefined) return {};
  const where = "providerOptions.llmKit";
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new InvalidRequestError(`${where} must be an object`);
  }
  const out: Pick<CallOptions, "metadata" | "timeoutMs"> = {};
  for (const [name, value] of Object.entries(given)) {
    if (name === "cache") {
      if (value !== false && value !== "use" && value !== "refresh" && value !== "bypass") {
        throw new InvalidRequestError(
          `${where}.cache must be "use", "refresh", "bypass" or false, got ${JSON.stringify(value)}`,
        );
      }
      out.metadata = { cache: value };
    } else if (name === "timeoutMs") {
      if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
        throw new InvalidRequestError(
          `${where}.timeoutMs must be a positive number of milliseconds`,
        );
      }
      out.timeoutMs = value;
    } else {
      throw new InvalidRequestError(`${where}.${name} is not a setting (known: cache, timeoutMs)`);
    }
  }
  return out;
}
