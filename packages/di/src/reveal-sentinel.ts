import { isAbsolute, resolve } from "node:path";
import type { LLMConfig, RedisTLSConfig } from "@llm/config";
import { ConfigError } from "@llm/core";
import { isPEMText, type RedisSentinelOptions, type RedisTLSOptions } from "@llm/redis-connection";

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
export function revealSentinel(
  sentinel: RedisSentinelConfig,
  baseDir: string,
): RedisSentinelOptions {
  return {
    name: sentinel.name,
    sentinels: sentinel.sentinels.map((address) => address.reveal()),
    ...(sentinel.password === undefined ? {} : { password: sentinel.password.reveal() }),
    ...(sentinel.tls === undefined ? {} : { tls: revealTLS(sentinel.tls, baseDir) }),
  };
}

/**
 * The config's `tls` with the client key revealed, for @llm/redis-connection;
 * relative file paths resolve from `baseDir`, as the SQLite store's path does.
 */
export function revealTLS(tls: RedisTLSConfig, baseDir: string): RedisTLSOptions {
  const file = (value: string) =>
    isPEMText(value) || isAbsolute(value) ? value : resolve(baseDir, value);
  return {
    ...(tls.ca === undefined ? {} : { ca: file(tls.ca) }),
    ...(tls.cert === undefined ? {} : { cert: file(tls.cert) }),
    ...(tls.key === undefined ? {} : { key: file(tls.key.reveal()) }),
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
    rejectUnauthorized: tls.rejectUnauthorized,
  };
}

/**
 * Runs `connect`, putting the config section in front of the paths of a
 * `ConfigError` it throws: @llm/redis-connection names `tls.ca` or
 * `sentinel.sentinels.1`, the user wrote `cache.l2.tls.ca`.
 */
export function underConfigPath<T>(section: string, connect: () => T): T {
  try {
    return connect();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError("The Redis connection settings cannot be used", {
      cause: error,
      issues: error.issues.map((issue) => ({ ...issue, path: `${section}.${issue.path}` })),
    });
  }
}
