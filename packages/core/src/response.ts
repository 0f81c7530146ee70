import type { JsonValue } from "./json.js";
import type { AssistantContentPart } from "./messages.js";
import type { RateLimitInfo } from "./rate-limit-info.js";

/** Why generation stopped, unified across providers. The provider's own value is kept as `rawFinishReason`. */
export type FinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "error" | "other";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Input tokens served from the provider's prompt cache. */
  cachedInputTokens?: number;
  /** Output tokens spent on hidden reasoning. */
  reasoningTokens?: number;
}

export interface ToolCall {
  id: string;
  name: string;
  input: JsonValue;
}

/** Where an answer came from: the provider, or a cache level (`"l1"`, `"l2"`, …). */
export type ResponseOrigin =
  | { type: "upstream" }
  | { type: "cache"; level: string; key: string; ageMs: number };

export interface ChatResponse {
  id: string;
  model: string;
  provider: string;
  /** All text parts concatenated. */
  text: string;
  content: AssistantContentPart[];
  toolCalls: ToolCall[];
  /** Concatenated reasoning text, when the provider returned any. */
  reasoning?: string;
  finishReason: FinishReason;
  rawFinishReason?: string;
  usage: Usage;
  /** The provider's request id (`x-request-id`, `request-id`, …), for support tickets. */
  requestId?: string;
  /** The provider's rate-limit headers on this answer, for rate limiters to learn from. */
  rateLimit?: RateLimitInfo;
  providerMetadata?: Record<string, JsonValue>;
  origin: ResponseOrigin;
}

export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
