import { readCount, type Usage } from "@llm/core";
import type { OllamaChatResponse } from "./ollama-api.js";

/**
 * `prompt_eval_count` / `eval_count` → `Usage`. Ollama leaves
 * `prompt_eval_count` out when the whole prompt came from its KV cache, so a
 * missing count is 0, not an error (and so is one that is not a non-negative
 * integer). It reports no cached or reasoning counts.
 */
export function convertOllamaUsage(response: OllamaChatResponse): Usage {
  const input = readCount(response.prompt_eval_count) ?? 0;
  const output = readCount(response.eval_count) ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: input + output };
}
