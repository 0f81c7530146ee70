import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { type CallOptions, InvalidRequestError } from "@llm/core";
import { LLM_KIT_OPTIONS } from "./convert/to-chat-request.js";

/**
 * The llm-kit `CallOptions` of an AI SDK call: its abort signal, its
 * headers (those set to `undefined` left out) and the settings of
 * `providerOptions.llmKit`.
 */
export function callOptionsOf(params: LanguageModelV3CallOptions): CallOptions {
  const options: CallOptions = readCallSettings(params.providerOptions?.[LLM_KIT_OPTIONS]);
  if (params.abortSignal !== undefined) options.signal = params.abortSignal;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(params.headers ?? {})) {
    if (value !== undefined) headers[name] = value;
  }
  if (Object.keys(headers).length > 0) options.headers = headers;
  return options;
}

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
