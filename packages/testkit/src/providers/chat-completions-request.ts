import { isRecord } from "@llm/core";
import type {
  NormalizedRequest,
  NormalizedTool,
  NormalizedToolChoice,
} from "../normalized-request.js";

/**
 * Reading the Chat Completions request fields that OpenAI, Mistral and Ollama
 * share: function tools, `response_format`, `tool_choice`; and the SSE
 * framing of recorded payloads that OpenAI and Mistral share.
 */

/** `tools: [{ type: "function", function: { name, parameters } }]` → the tools offered. */
export function readFunctionTools(tools: unknown): NormalizedTool[] {
  const out: NormalizedTool[] = [];
  if (!Array.isArray(tools)) return out;
  for (const tool of tools) {
    if (isRecord(tool) && isRecord(tool.function) && typeof tool.function.name === "string") {
      out.push({
        name: tool.function.name,
        parameters: isRecord(tool.function.parameters) ? tool.function.parameters : undefined,
      });
    }
  }
  return out;
}

/** `response_format` (`json_object`, `json_schema` with its schema) → JSON mode, or undefined. */
export function readResponseFormat(value: unknown): NormalizedRequest["json"] {
  const format = isRecord(value) ? value : undefined;
  if (format?.type === "json_object") return { schema: undefined };
  if (format?.type !== "json_schema") return undefined;
  const spec = format.json_schema;
  return { schema: isRecord(spec) && isRecord(spec.schema) ? spec.schema : undefined };
}

/** `tool_choice`; `requiredValues` are the strings that force a call (Mistral adds `any`). */
export function readFunctionToolChoice(
  choice: unknown,
  requiredValues: readonly string[] = ["required"],
): NormalizedToolChoice {
  if (choice === "none") return { type: "none" };
  if (typeof choice === "string" && requiredValues.includes(choice)) return { type: "required" };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === "string") {
    return { type: "tool", name: choice.function.name };
  }
  return { type: "auto" };
}

/** Recorded SSE payloads as `data:` frames, closed by `data: [DONE]`. */
export function sseDataFrames(lines: string[]): string[] {
  const frames = lines.map((line) => `data: ${line}\n\n`);
  frames.push("data: [DONE]\n\n");
  return frames;
}
