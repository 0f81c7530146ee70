import type { LLMError } from "./errors/llm-error.js";
import type { JsonValue } from "./json.js";
import type { RateLimitInfo } from "./rate-limit-info.js";
import type { FinishReason, ResponseOrigin, ToolCall, Usage } from "./response.js";
import type { CallWarning } from "./warnings.js";

export interface StreamStartEvent {
  type: "start";
  id: string;
  model: string;
  provider: string;
  requestId?: string;
  /** The provider's rate-limit headers, for rate limiters to learn from. */
  rateLimit?: RateLimitInfo;
  origin: ResponseOrigin;
}

export interface TextDeltaEvent {
  type: "text-delta";
  delta: string;
}

export interface ReasoningDeltaEvent {
  type: "reasoning-delta";
  delta: string;
  /** Present on the last reasoning delta of a block when the provider signs it. */
  signature?: string;
}

/** A fragment of a tool call's JSON arguments, as it streams. */
export interface ToolCallDeltaEvent {
  type: "tool-call-delta";
  /** Position of the call in the response; stable across its deltas. */
  index: number;
  toolCallId: string;
  toolName: string;
  argsDelta: string;
}

/** A tool call, complete and with its arguments parsed. Follows its deltas. */
export interface ToolCallEvent {
  type: "tool-call";
  index: number;
  toolCall: ToolCall;
}

export interface UsageEvent {
  type: "usage";
  usage: Usage;
}

export interface FinishEvent {
  type: "finish";
  finishReason: FinishReason;
  rawFinishReason?: string;
  usage: Usage;
  /**
   * Settings the provider ignored for this call (as on `ChatResponse`). On
   * `finish` rather than a separate event: it keeps the union unchanged for
   * every consumer, and `finish` already carries the call's summary.
   */
  warnings?: CallWarning[];
  /**
   * The answer's own provider metadata, as on `ChatResponse` (an OpenAI
   * refusal, Azure's filter verdicts, Anthropic's stop details): known only
   * once the answer is complete, so it rides on `finish`, and `collectStream`
   * copies it onto the response — a streamed answer keeps what `generate`
   * returns. Plain JSON, of the type `ChatResponse.providerMetadata` has.
   */
  providerMetadata?: Record<string, JsonValue>;
}

/**
 * A failure, as an event. Clients *throw* `LLMError` from the iterator; this
 * event exists for consumers that want errors in-band (hooks' `onStreamEvent`,
 * relays to a browser) — see `catchStreamErrors`.
 */
export interface ErrorEvent {
  type: "error";
  error: LLMError;
}

export type StreamEvent =
  | StreamStartEvent
  | TextDeltaEvent
  | ReasoningDeltaEvent
  | ToolCallDeltaEvent
  | ToolCallEvent
  | UsageEvent
  | FinishEvent
  | ErrorEvent;

export type StreamEventType = StreamEvent["type"];
