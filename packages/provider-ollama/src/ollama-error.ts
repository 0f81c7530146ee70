import {
  type HttpErrorInfo,
  httpErrorFromResponse,
  InvalidRequestError,
  type LLMError,
} from "@llm/core";

/** `model "llama3" not found, try pulling it first` — not a wrong path's `404 page not found`. */
const MODEL_NOT_FOUND = /model\b.*not found/i;

/**
 * A failed Ollama answer (`{ "error": "…" }` with a status) → the
 * `@llm/core` error family. A 404 is almost always a model that was never
 * pulled, so the error names the model and the command that fixes it.
 */
export function mapOllamaError(info: HttpErrorInfo, model: string): LLMError {
  if (info.status === 404 && MODEL_NOT_FOUND.test(info.bodyText)) {
    return new InvalidRequestError(
      `ollama has no model "${model}" (HTTP 404): run \`ollama pull ${model}\` on the server`,
      { provider: "ollama", status: 404 },
    );
  }
  return httpErrorFromResponse(info);
}

/** An `{ "error": "…" }` line in the middle of an NDJSON stream (the status was already 200). */
export function mapOllamaStreamError(
  message: string,
  headers: Record<string, string>,
  model: string,
): LLMError {
  // Ollama reports mid-stream failures only in words; a missing model is still a 404 in spirit.
  const status = MODEL_NOT_FOUND.test(message) ? 404 : 500;
  return mapOllamaError(
    { provider: "ollama", status, headers, bodyText: JSON.stringify({ error: message }) },
    model,
  );
}
