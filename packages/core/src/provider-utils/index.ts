export { type ReadAPIKeyOptions, readAPIKey } from "./api-key.js";
export { normalizeBaseURL } from "./base-url.js";
export { type CallSignal, openCallSignal } from "./call-signal.js";
export { generateId } from "./generate-id.js";
export { extractErrorDetails, type HttpErrorInfo, httpErrorFromResponse } from "./http-error.js";
export { parseRetryAfter } from "./retry-after.js";
export { type SafeParseResult, safeParseJSON } from "./safe-parse-json.js";
export {
  type JSONResult,
  MAX_ERROR_BODY_BYTES,
  readBounded,
  type SendOptions,
  type StreamResult,
  sendJSON,
  sendStream,
} from "./send.js";
export { combineSignals, type LinkedSignal, linkSignals } from "./signals.js";
