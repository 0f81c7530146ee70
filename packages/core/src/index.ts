export {
  type CacheScope,
  cacheHeaderRole,
  combineCacheScopes,
  type ProviderCacheScopeOptions,
  providerCacheScope,
} from "./cache-scope.js";
export type { CallOptions, LLMClient } from "./client.js";
export { collectStream, StreamAccumulator } from "./collect-stream.js";
export { compose } from "./compose.js";
export * from "./embeddings/index.js";
export * from "./errors/index.js";
export type { JsonObject, JsonSchema, JsonValue } from "./json.js";
export type { MemoryBudget, MemoryConsumer } from "./memory-consumer.js";
export type {
  AssistantContentPart,
  AssistantMessage,
  ImagePart,
  Message,
  ProviderMetadata,
  ReasoningPart,
  SystemMessage,
  TextPart,
  ToolCallPart,
  ToolMessage,
  ToolResultPart,
  UserContentPart,
  UserMessage,
} from "./messages.js";
export type { GenerateContext, Middleware, StreamContext } from "./middleware.js";
export * from "./provider-utils/index.js";
export type { RateLimitInfo, RateLimitWindow } from "./rate-limit-info.js";
export {
  isSecretHeaderName,
  isSensitiveQueryParam,
  REDACTED,
  redactHeaders,
  redactSecrets,
  redactURL,
  registerSecretValue,
  SECRET_HEADERS,
  SENSITIVE_QUERY_PARAMS,
  scanURL,
  type URLScan,
} from "./redact.js";
export {
  type ProviderDefinition,
  ProviderRegistry,
  type ProviderSettings,
} from "./registry.js";
export type { ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from "./request.js";
export * from "./resilience/index.js";
export {
  type ChatResponse,
  emptyUsage,
  type FinishReason,
  type ResponseOrigin,
  type ToolCall,
  type Usage,
} from "./response.js";
export { asksForVariety, leavesTemperatureUnset, replaysIdentically } from "./sampling.js";
export { isSecret, revealSecret, Secret } from "./secret.js";
export { isSecretURL, revealURL, SecretURL } from "./secret-url.js";
export {
  chatResponseProblem,
  describeValue,
  embeddingResponseProblem,
  kindOf,
  ShapeChecker,
  type ShapeLimits,
  type ShapeProblem,
  streamEventProblem,
} from "./shape/index.js";
export type {
  ErrorEvent,
  FinishEvent,
  ReasoningDeltaEvent,
  StreamEvent,
  StreamEventType,
  StreamStartEvent,
  TextDeltaEvent,
  ToolCallDeltaEvent,
  ToolCallEvent,
  UsageEvent,
} from "./stream-event.js";
export {
  DEFAULT_RESPONSE_LIMITS,
  type ParserLimits,
  type ResolvedResponseLimits,
  type ResponseLimits,
  resolveResponseLimits,
} from "./streaming/limits.js";
export { NDJSONParser, parseNDJSON } from "./streaming/ndjson-parser.js";
export { readWithSignal, toAbortError } from "./streaming/read-with-signal.js";
export {
  type ParseStreamOptions,
  parseSSE,
  type SSEEvent,
  SSEParser,
} from "./streaming/sse-parser.js";
export * from "./structured/index.js";
export {
  createFetchTransport,
  defaultTransport,
  type FetchTransportOptions,
} from "./transport/fetch-transport.js";
export { type AbortTarget, RequestAborter } from "./transport/request-aborter.js";
export type {
  BodySink,
  HttpMethod,
  Transport,
  TransportRequest,
  TransportResponse,
} from "./transport.js";
export { type CallWarning, unsupportedSettings, withFinishWarnings } from "./warnings.js";
