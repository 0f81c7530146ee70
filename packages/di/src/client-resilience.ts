import type { ClientConfig } from "@llm/config";
import { CircuitBreaker, type RetryOptions, toLLMError } from "@llm/core";
import type { Hooks } from "@llm/hooks";

/**
 * The retry options of a configured client, reporting each retry to
 * `onRetry` under the client's name; `undefined` when it makes one attempt.
 * Chat chains and embedding clients take the same ones.
 */
export function clientRetryOptions(
  name: string,
  config: ClientConfig,
  hooks: Hooks,
): RetryOptions | undefined {
  const retries = config.retries;
  if (!retries || retries.maxAttempts <= 1) return undefined;
  return {
    maxAttempts: retries.maxAttempts,
    baseDelayMs: retries.baseDelayMs,
    maxDelayMs: retries.maxDelayMs,
    onRetry: ({ attempt, error, delayMs }) =>
      hooks.notify("onRetry", { client: name, attempt, error: toLLMError(error), delayMs }),
  };
}

/**
 * The circuit breaker of a configured client, named `breakerName`, taken from
 * `breakers` when one with the same settings exists: breakers outlive client
 * rebuilds so a hot reload does not forget an outage. `undefined` when the
 * client has none.
 */
export function clientBreaker(
  name: string,
  breakerName: string,
  config: ClientConfig,
  breakers: Map<string, CircuitBreaker>,
): CircuitBreaker | undefined {
  const settings = config.circuitBreaker;
  if (!settings?.enabled) return undefined;
  const key = `${name}:${JSON.stringify(settings)}`;
  let breaker = breakers.get(key);
  if (!breaker) {
    breaker = new CircuitBreaker({
      name: breakerName,
      failureThreshold: settings.failureThreshold,
      resetTimeoutMs: settings.resetTimeoutMs,
      halfOpenMaxCalls: settings.halfOpenMaxCalls,
    });
    breakers.set(key, breaker);
  }
  return breaker;
}
