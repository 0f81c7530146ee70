import type { FinishReason, JsonObject } from "@llm/core";

/**
 * The shapes this package hands back to the AI SDK, written out here rather
 * than taken from `@ai-sdk/provider`: AI SDK 6 types a middleware with
 * LanguageModel spec v3, AI SDK 7 with v4, and the two differ only in file
 * data — which these shapes never contain. So each is a subtype of both
 * versions' type, and `llmKitMiddleware()` fits either `wrapLanguageModel`
 * without a cast.
 */
export type ReplayedContent =
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  | { type: "tool-call"; toolCallId: string; toolName: string; input: string };

export interface ReplayedFinishReason {
  unified: FinishReason;
  raw: string | undefined;
}

export interface ReplayedUsage {
  inputTokens: {
    total: number | undefined;
    noCache: number | undefined;
    cacheRead: number | undefined;
    cacheWrite: number | undefined;
  };
  outputTokens: {
    total: number | undefined;
    text: number | undefined;
    reasoning: number | undefined;
  };
}

export type ReplayedMetadata = Record<string, JsonObject>;

export interface ReplayedGenerateResult {
  content: ReplayedContent[];
  finishReason: ReplayedFinishReason;
  usage: ReplayedUsage;
  providerMetadata?: ReplayedMetadata;
  response?: { id?: string; modelId?: string };
  warnings: [];
}

export type ReplayedStreamPart =
  | { type: "stream-start"; warnings: [] }
  | { type: "response-metadata"; id?: string; modelId?: string }
  | { type: "text-start" | "text-end" | "reasoning-start" | "reasoning-end"; id: string }
  | { type: "text-delta" | "reasoning-delta"; id: string; delta: string }
  | { type: "tool-input-start"; id: string; toolName: string }
  | { type: "tool-input-delta"; id: string; delta: string }
  | { type: "tool-input-end"; id: string }
  | { type: "tool-call"; toolCallId: string; toolName: string; input: string }
  | {
      type: "finish";
      usage: ReplayedUsage;
      finishReason: ReplayedFinishReason;
      providerMetadata?: ReplayedMetadata;
    }
  | { type: "error"; error: unknown };

/**
 * What the middleware reads of the AI SDK's call to it. Deliberately wide:
 * an AI SDK 6 call (v3) and an AI SDK 7 call (v4) both fit, and the
 * converters read both forms of the one field that differs (file data).
 */
export interface MiddlewareCall {
  params: object;
  model: { readonly provider: string; readonly modelId: string };
  doStream: () => PromiseLike<object>;
}

/** `llmKitMiddleware()`'s value: a middleware for `wrapLanguageModel` of AI SDK 6 or 7. */
export interface LLMKitLanguageModelMiddleware {
  readonly specificationVersion: "v3";
  wrapGenerate: (call: MiddlewareCall) => PromiseLike<ReplayedGenerateResult>;
  wrapStream: (call: MiddlewareCall) => PromiseLike<{ stream: ReadableStream<ReplayedStreamPart> }>;
}
