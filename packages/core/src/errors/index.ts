export { LLMError, isLLMError, type LLMErrorOptions } from "./llm-error.js";
export {
  AbortError,
  AuthenticationError,
  CircuitOpenError,
  ConfigError,
  type ConfigIssue,
  ContentFilterError,
  ContextLengthError,
  InvalidRequestError,
  NetworkError,
  ParseError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  type TimeoutPhase,
} from "./errors.js";
