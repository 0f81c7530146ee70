import type { LLMConfig } from "@llm/config";
import type { RedisSentinelOptions } from "@llm/redis-connection";

/** The config's Sentinel deployment (the same schema for the L2 cache and the rate-limit store). */
type RedisSentinelConfig = NonNullable<
  Extract<LLMConfig["rateLimits"]["store"], { type: "redis" }>["sentinel"]
>;

/**
 * The config's `sentinel` (addresses already checked by the schema) with its
 * secrets revealed, for @llm/redis-connection's `sentinelConnectionOptions`
 * (here for the rate-limit store, in @llm/cache-redis for the L2). Revealed at
 * the edge, just before the connection is made, and nowhere else.
 */
export function revealSentinel(sentinel: RedisSentinelConfig): RedisSentinelOptions {
  return {
    name: sentinel.name,
    sentinels: sentinel.sentinels.map((address) => address.reveal()),
    ...(sentinel.password === undefined ? {} : { password: sentinel.password.reveal() }),
  };
}
