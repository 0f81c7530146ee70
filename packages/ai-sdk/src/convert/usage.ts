import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import type { FinishReason, Usage } from "@llm/core";
import type { ReplayedFinishReason, ReplayedUsage } from "../ai-sdk-spec.js";

/** llm-kit usage → the AI SDK's: cached input and reasoning output split out where known. */
export function toAiSdkUsage(usage: Usage): ReplayedUsage {
  const cached = usage.cachedInputTokens;
  const reasoning = usage.reasoningTokens;
  return {
    inputTokens: {
      total: usage.inputTokens,
      noCache: cached === undefined ? undefined : usage.inputTokens - cached,
      cacheRead: cached,
      cacheWrite: undefined,
    },
    outputTokens: {
      total: usage.outputTokens,
      text: reasoning === undefined ? undefined : usage.outputTokens - reasoning,
      reasoning,
    },
  };
}

/** The AI SDK's usage → llm-kit's; a count the provider did not report is 0. */
export function fromAiSdkUsage(usage: LanguageModelV3Usage): Usage {
  const inputTokens = usage.inputTokens.total ?? 0;
  const outputTokens = usage.outputTokens.total ?? 0;
  const out: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (usage.inputTokens.cacheRead !== undefined)
    out.cachedInputTokens = usage.inputTokens.cacheRead;
  if (usage.outputTokens.reasoning !== undefined)
    out.reasoningTokens = usage.outputTokens.reasoning;
  return out;
}

/** The two unified finish reasons are the same six words; only the shape differs. */
export function toAiSdkFinishReason(
  finishReason: FinishReason,
  raw: string | undefined,
): ReplayedFinishReason {
  return { unified: finishReason, raw };
}
