/**
 * What Azure OpenAI adds to the OpenAI wire format (which `@llm/provider-openai`
 * types): content-filter results on answers and the `innererror` of a
 * content-filter 400. Read defensively: a field Azure leaves out is absent here.
 */
import { isRecord } from "@llm/core";
import type { OpenAIChatResponse, OpenAIErrorObject } from "@llm/provider-openai";

/** One category's verdict: `filtered` (blocked) and how severe Azure judged it. */
export interface AzureFilterVerdict {
  filtered: boolean;
  severity?: "safe" | "low" | "medium" | "high";
  detected?: boolean;
}

/** Per-category verdicts: `hate`, `self_harm`, `sexual`, `violence`, `jailbreak`, `protected_material_*`, … */
export type AzureContentFilterResults = Record<string, AzureFilterVerdict>;

/** Azure's error object: OpenAI's, plus `innererror` on content-filter refusals. */
export interface AzureErrorObject extends OpenAIErrorObject {
  status?: number;
  innererror?: {
    /** `ResponsibleAIPolicyViolation` when the content filter refused the prompt. */
    code?: string;
    content_filter_result?: AzureContentFilterResults;
  };
}

/** A chat completion as Azure sends it. */
export interface AzureChatResponse extends OpenAIChatResponse {
  prompt_filter_results?: Array<{
    prompt_index?: number;
    content_filter_results?: AzureContentFilterResults;
  }>;
}

/** The categories of `results` Azure filtered, e.g. `["violence (high)"]`. */
export function filteredCategories(results: unknown): string[] {
  if (!isRecord(results)) return [];
  const out: string[] = [];
  for (const [category, verdict] of Object.entries(results)) {
    if (!isRecord(verdict) || verdict.filtered !== true) continue;
    out.push(typeof verdict.severity === "string" ? `${category} (${verdict.severity})` : category);
  }
  return out;
}
