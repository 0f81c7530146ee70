export type { JsonObject, JsonSchema, JsonValue } from "./json.js";
export type {
  AssistantContentPart,
  AssistantMessage,
  ImagePart,
  Message,
  ReasoningPart,
  SystemMessage,
  TextPart,
  ToolCallPart,
  ToolMessage,
  ToolResultPart,
  UserContentPart,
  UserMessage,
} from "./messages.js";
export type { ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from "./request.js";
export {
  type ChatResponse,
  emptyUsage,
  type FinishReason,
  type ResponseOrigin,
  type ToolCall,
  type Usage,
} from "./response.js";
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
export type { CallOptions, LLMClient } from "./client.js";
export type { GenerateContext, Middleware, StreamContext } from "./middleware.js";
export { compose } from "./compose.js";
export * from "./errors/index.js";
export { isSecret, revealSecret, Secret } from "./secret.js";
export { redactHeaders, redactSecrets, registerSecretValue, SECRET_HEADERS } from "./redact.js";
export type { HttpMethod, Transport, TransportRequest, TransportResponse } from "./transport.js";
export {
  type ProviderDefinition,
  ProviderRegistry,
  type ProviderSettings,
} from "./registry.js";
export type { MemoryBudget, MemoryConsumer } from "./memory-consumer.js";
export { collectStream, StreamAccumulator } from "./collect-stream.js";
