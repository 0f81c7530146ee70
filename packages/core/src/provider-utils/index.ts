export { onAbort } from "./abort-listeners.js";
export { type ReadAPIKeyOptions, readAPIKey } from "./api-key.js";
export { withResponseWarnings, withStreamWarnings } from "./attach-warnings.js";
export { joinURL, normalizeBaseURL } from "./base-url.js";
export { callJSON } from "./call-json.js";
export { type CallSignal, openCallSignal } from "./call-signal.js";
export {
  type FunctionToolChoiceParam,
  type FunctionToolParam,
  type ResponseFormatParam,
  toFunctionToolChoiceParam,
  toFunctionToolParam,
  toFunctionToolParams,
  toResponseFormatParam,
} from "./chat-completions-params.js";
export {
  type BinaryFrameDecoder,
  type BinaryFraming,
  driveStream,
  type FrameOf,
  type StreamFraming,
  type StreamHandler,
  type StreamPlan,
} from "./drive-stream.js";
export { generateId } from "./generate-id.js";
export { extractErrorDetails, type HttpErrorInfo, httpErrorFromResponse } from "./http-error.js";
export { isRecord } from "./is-record.js";
export { parseToolArguments } from "./parse-tool-arguments.js";
export { parseDuration, readRateLimitHeaders } from "./read-rate-limit-headers.js";
export {
  readCount,
  readNullableObject,
  readNullableString,
  readOptionalObject,
  readOptionalString,
  readString,
} from "./read-wire-field.js";
export {
  REQUEST_DEFAULT_KEYS,
  type RequestDefaultKey,
  type RequestDefaults,
  readRequestDefaults,
} from "./request-defaults.js";
export {
  type RequestFieldName,
  type RequestFieldValues,
  type RequestFieldWriter,
  requestFieldWriter,
  type WireField,
  type WireNames,
} from "./request-fields.js";
export { requireModel } from "./require-model.js";
export { parseRetryAfter } from "./retry-after.js";
export { type SafeParseResult, safeParseJSON } from "./safe-parse-json.js";
export {
  type JSONResult,
  MAX_ERROR_BODY_BYTES,
  readBodyWithin,
  readBounded,
  type SendOptions,
  type StreamResult,
  sendJSON,
  sendStream,
} from "./send.js";
export { combineSignals, type LinkedSignal, linkSignals } from "./signals.js";
export { ToolCallAssembler } from "./tool-call-assembler.js";
export { wireShapeError } from "./wire-shape-error.js";
