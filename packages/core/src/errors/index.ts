export {
  AbortError,
  AuthenticationError,
  CircuitOpenError,
  ConfigError,
  type ConfigIssue,
  ContentFilterError,
  ContextLengthError,
  InvalidRequestError,
  LimitExceededError,
  type LimitName,
  NetworkError,
  ParseError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  type TimeoutPhase,
} from "./errors.js";
export { isLLMError, LLMError, type LLMErrorOptions } from "./llm-error.js";
