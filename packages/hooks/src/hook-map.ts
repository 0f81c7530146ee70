import type { CallOptions, ChatRequest, ChatResponse, LLMError, StreamEvent } from "@llm/core";

/** What every hook of one call shares: an id and a bag for handler state (spans, timers). */
export interface CallInfo {
  /** Unique per call; the same object is passed to every hook of that call. */
  readonly id: string;
  /** Provider type of the client, e.g. `"openai"`. */
  readonly provider: string;
  /** Name the client was created under (`LLMClientFactory.get(name)`), when known. */
  readonly client?: string;
  readonly mode: "generate" | "stream";
  readonly startedAt: number;
  /** Free-form per-call state for handlers, e.g. an OpenTelemetry span. */
  readonly state: Map<string | symbol, unknown>;
}

export interface BeforeRequestPayload {
  call: CallInfo;
  request: ChatRequest;
  options: CallOptions;
}

export interface AfterResponsePayload {
  call: CallInfo;
  request: ChatRequest;
  response: ChatResponse;
  durationMs: number;
}

export interface ErrorPayload {
  call: CallInfo;
  request: ChatRequest;
  error: LLMError;
  durationMs: number;
}

export interface StreamEventPayload {
  call: CallInfo;
  request: ChatRequest;
  event: StreamEvent;
}

export interface RetryPayload {
  client?: string;
  attempt: number;
  error: LLMError;
  delayMs: number;
}

export interface FallbackPayload {
  /** The client that was asked. */
  client: string;
  /** The client that failed, and the one tried next. */
  from: string;
  to: string;
  error: LLMError;
}

export interface CacheHitPayload {
  key: string;
  level: string;
  ageMs: number;
  request?: ChatRequest;
}

export interface CacheMissPayload {
  key: string;
  request?: ChatRequest;
}

/**
 * A cache entry read back unusable — damaged, forged, too big or of another
 * version. It was served as a miss and deleted; the call went upstream.
 * Reported once per bad entry. Never carries the entry's content.
 */
export interface CacheCorruptPayload {
  key: string;
  /** Where it was found: `"l1"` or `"l2"`. */
  level: string;
  /** The first thing wrong, by path: `response.toolCalls[0]: expected object, got null`. */
  reason: string;
}

/**
 * How one cross-process single-flight claim ended in this process (a cache
 * with a flight coordinator, `cache.l2.coalesce`): it `led` (made the one
 * upstream call), was `served` by another process, took a failed leader's
 * call over (`handed-over`), or made its own call (`fell-back`, with the
 * `reason`). `waitMs`: how long it followed another process, when it did.
 * Once per coordinated miss, never per stream event.
 */
export interface CacheFlightPayload {
  key: string;
  outcome: "led" | "served" | "handed-over" | "fell-back";
  reason?: "unavailable" | "timeout" | "corrupt" | "not-stored";
  waitMs?: number;
}

export interface ConfigChangePayload {
  changes: ReadonlyArray<{ path: string }>;
}

/**
 * A cache store (the L2, e.g. Redis) became unreachable or came back. Called
 * once per transition, never per failed command.
 */
export interface CacheStoreStatePayload {
  /** The store's name, e.g. `"redis"`. */
  store: string;
  state: "up" | "down";
  /** Why it went down (absent for `"up"`); messages are redacted. */
  error?: Error;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * Every hook point with its handler signature. Extend it by declaration
 * merging to add your own points:
 *
 * ```ts
 * declare module "@llm/hooks" {
 *   interface HookMap {
 *     onBudgetExceeded: (payload: { tenant: string }) => void;
 *   }
 * }
 * ```
 *
 * A handler that returns a value (not `undefined`) feeds it to the next
 * handler in series mode and wins in bail mode.
 */
export interface HookMap {
  /** May return a rewritten request; the next handler sees it. */
  beforeRequest: (payload: BeforeRequestPayload) => MaybePromise<ChatRequest | undefined | void>;
  afterResponse: (payload: AfterResponsePayload) => MaybePromise<void>;
  onError: (payload: ErrorPayload) => MaybePromise<void>;
  onStreamEvent: (payload: StreamEventPayload) => MaybePromise<void>;
  onRetry: (payload: RetryPayload) => MaybePromise<void>;
  onFallback: (payload: FallbackPayload) => MaybePromise<void>;
  onCacheHit: (payload: CacheHitPayload) => MaybePromise<void>;
  onCacheMiss: (payload: CacheMissPayload) => MaybePromise<void>;
  onCacheCorrupt: (payload: CacheCorruptPayload) => MaybePromise<void>;
  onCacheFlight: (payload: CacheFlightPayload) => MaybePromise<void>;
  onConfigChange: (payload: ConfigChangePayload) => MaybePromise<void>;
  onCacheStoreState: (payload: CacheStoreStatePayload) => MaybePromise<void>;
}

export type HookName = keyof HookMap & string;
// biome-ignore lint/suspicious/noExplicitAny: conditional-type inference needs `any` here; it never reaches a caller.
type AnyFunction = (...args: any[]) => unknown;
export type HookPayload<K extends HookName> = HookMap[K] extends AnyFunction
  ? Parameters<HookMap[K]>[0]
  : never;
export type HookResult<K extends HookName> = HookMap[K] extends AnyFunction
  ? Exclude<Awaited<ReturnType<HookMap[K]>>, void>
  : never;
export type HookHandler<K extends HookName> = (
  payload: HookPayload<K>,
) => MaybePromise<HookResult<K> | undefined | void>;
