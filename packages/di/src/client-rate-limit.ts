import { createHash, randomBytes } from "node:crypto";
import type { ClientConfig, LLMConfig } from "@llm/config";
import type { LLMClient, Middleware } from "@llm/core";
import type { PluginLogger } from "@llm/plugins";
import { RateLimit, type RateLimitStore, rateLimitMiddleware } from "@llm/ratelimit";

/** One random HMAC key per process, for `per: apiKey` when no secret is configured. */
const processKeySecret = randomBytes(32);

/**
 * The rate-limit middleware of one client (one member of a fallback list), or
 * undefined when it has no `rateLimit`. The budget's key names whose budget it
 * is — never the credential itself:
 * - `client:<name>`;
 * - `provider:<sha256 of the provider instance>` (endpoint, organisation, project…);
 * - `key:<HMAC of the credential>` under `rateLimits.keySecret` (else `cache.scopeSecret`).
 */
export function clientRateLimit(
  name: string,
  client: ClientConfig,
  provider: LLMClient,
  config: Readonly<LLMConfig>,
  store: RateLimitStore,
  logger: PluginLogger,
): Middleware | undefined {
  const limit = client.rateLimit;
  if (!limit) return undefined;
  const limiter = new RateLimit({
    key: budgetKey(name, limit.per, provider, config),
    ...(limit.requestsPerMinute === undefined
      ? {}
      : { requestsPerMinute: limit.requestsPerMinute }),
    ...(limit.tokensPerMinute === undefined ? {} : { tokensPerMinute: limit.tokensPerMinute }),
    maxWaitMs: limit.maxWaitMs,
    maxQueue: limit.maxQueue,
    store,
    onStoreError: throttledWarning(
      logger,
      `rate-limit store unavailable for client "${name}"; calls go ahead unlimited`,
    ),
  });
  return rateLimitMiddleware(limiter, { learn: limit.learn });
}

function budgetKey(
  name: string,
  per: "client" | "provider" | "apiKey",
  provider: LLMClient,
  config: Readonly<LLMConfig>,
): string {
  const scope = provider.cacheScope;
  if (per === "client" || scope === undefined) return `client:${name}`;
  if (per === "provider")
    return `provider:${createHash("sha256").update(scope.instance).digest("hex").slice(0, 32)}`;
  const secret = config.rateLimits.keySecret ?? config.cache.scopeSecret;
  return `key:${scope.credentialTag(secret ? secret.reveal() : processKeySecret).slice(0, 32)}`;
}

/** One warning now, then at most one a minute: an outage is a line, not a storm. */
function throttledWarning(logger: PluginLogger, message: string): (error: unknown) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (error) => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    logger.warn(message, { error: error instanceof Error ? error.message : String(error) });
  };
}
