export { HookError, HookOrderError, HookTimeoutError } from "./hook-errors.js";
export type {
  AfterResponsePayload,
  BeforeRequestPayload,
  CacheCorruptPayload,
  CacheFlightPayload,
  CacheHitPayload,
  CacheMissPayload,
  CacheStoreStatePayload,
  CallInfo,
  ConfigChangePayload,
  ErrorPayload,
  FallbackPayload,
  HookHandler,
  HookMap,
  HookName,
  HookPayload,
  HookResult,
  RetryPayload,
  StreamEventPayload,
} from "./hook-map.js";
export {
  type HandlerInfo,
  type HookErrorPolicy,
  type HookOptions,
  Hooks,
  type HooksOptions,
} from "./hooks.js";
export { type HooksMiddlewareOptions, hooksMiddleware } from "./hooks-middleware.js";
