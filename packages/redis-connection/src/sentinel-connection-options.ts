import { ConfigError } from "@llm/core";
import {
  type RedisTLSOptions,
  type TLSConnectionOptions,
  tlsConnectionOptions,
} from "./tls-connection-options.js";

/** A Redis Sentinel deployment: the sentinels to ask, and the name of the master group they watch. */
export interface RedisSentinelOptions {
  /** The master group's name (`sentinel monitor <name> …` in the sentinels' config). */
  name: string;
  /**
   * Sentinels to ask for the current master: `redis://host:port` (port default
   * 26379) or `{ host, port }`; `rediss://host:port` for sentinels that speak TLS
   * (all of them, then).
   */
  sentinels: readonly (string | { host: string; port: number })[];
  /**
   * The sentinels' own password (their `requirepass`), if they have one. The
   * master's password is the connection's `password`. A password in a sentinel
   * URL is used when this is unset.
   */
  password?: string;
  /**
   * TLS to the sentinels (on when set, or when the addresses are `rediss://`).
   * Unset with `rediss://` addresses: the data nodes' TLS settings, else Node's defaults.
   */
  tls?: RedisTLSOptions;
}

/**
 * The ioredis options that connect through Sentinel, spread into `new Redis({ … })`.
 * A plain object type (no ioredis import), so this package needs no ioredis of its own;
 * it is assignable to ioredis's `RedisOptions`.
 */
export interface SentinelConnectionOptions {
  name: string;
  sentinels: { host: string; port: number }[];
  sentinelPassword?: string;
  /** Move at the sentinels' `+switch-master`, not only when the demoted master drops the connection. */
  failoverDetector: true;
  /** A demoted master answers writes with READONLY until the connection moves: reconnect then. */
  reconnectOnError: (error: Error) => boolean;
  /** TLS to the sentinels (ioredis's `sentinelTLS`). */
  sentinelTLS?: TLSConnectionOptions;
  /** TLS to the master the sentinels name; ioredis reads `tls` in Sentinel mode only with the flag. */
  tls?: TLSConnectionOptions;
  enableTLSForSentinelMode?: true;
}

const DEFAULT_SENTINEL_PORT = 26379;

/**
 * The ioredis options that connect through Sentinel: ioredis asks a sentinel
 * for the master of `name`, verifies its role, and asks again after every
 * reconnection; `failoverDetector` also listens for the sentinels'
 * `+switch-master` so a graceful failover moves the connection at once
 * instead of when the demoted master drops it. Secrets are read here, at the
 * edge, and never echoed in an error. `dataTLS` is TLS to the data nodes
 * (the master the sentinels name); the sentinels' own is `sentinel.tls` or
 * `rediss://` addresses. Certificate files are read here, once.
 */
export function sentinelConnectionOptions(
  sentinel: RedisSentinelOptions,
  dataTLS?: RedisTLSOptions,
): SentinelConnectionOptions {
  if (!sentinel.name || sentinel.sentinels.length === 0) {
    throw new ConfigError("A Redis sentinel connection needs a `name` and at least one sentinel", {
      issues: [
        {
          path: sentinel.name ? "sentinel.sentinels" : "sentinel.name",
          message: sentinel.name ? "empty" : "missing",
        },
      ],
    });
  }
  let urlPassword: string | undefined;
  const schemes = new Set<boolean>();
  const sentinels = sentinel.sentinels.map((entry, index) => {
    if (typeof entry !== "string") return { host: entry.host, port: entry.port };
    const parsed = parseSentinelURL(entry, index);
    urlPassword ??= parsed.password;
    schemes.add(parsed.tls);
    if (schemes.size > 1) {
      // ioredis has one sentinelTLS for every sentinel: a mix is a typo or a half-done migration.
      throw new ConfigError("Sentinel addresses must all be redis:// or all be rediss://", {
        issues: [{ path: `sentinel.sentinels.${index}`, message: "mixes redis:// and rediss://" }],
      });
    }
    return { host: parsed.host, port: parsed.port };
  });
  const sentinelPassword = sentinel.password ?? urlPassword;
  const sentinelTLS =
    sentinel.tls !== undefined
      ? tlsConnectionOptions(sentinel.tls, "sentinel.tls")
      : schemes.has(true)
        ? tlsConnectionOptions(dataTLS ?? {}, "tls")
        : undefined;
  return {
    name: sentinel.name,
    sentinels,
    ...(sentinelPassword === undefined ? {} : { sentinelPassword }),
    failoverDetector: true,
    reconnectOnError: isReadOnlyError,
    ...(sentinelTLS === undefined ? {} : { sentinelTLS }),
    ...(dataTLS === undefined
      ? {}
      : { tls: tlsConnectionOptions(dataTLS, "tls"), enableTLSForSentinelMode: true as const }),
  };
}

function isReadOnlyError(error: Error): boolean {
  return error.message.startsWith("READONLY");
}

function parseSentinelURL(
  text: string,
  index: number,
): { host: string; port: number; tls: boolean; password?: string } {
  const url = URL.parse(text.includes("://") ? text : `redis://${text}`);
  if ((url?.protocol !== "redis:" && url?.protocol !== "rediss:") || !url.hostname) {
    // The entry is not echoed: it may carry a password.
    throw new ConfigError("A sentinel address must look like redis://host:port", {
      issues: [
        {
          path: `sentinel.sentinels.${index}`,
          message: "not a redis://host:port or rediss://host:port address",
        },
      ],
    });
  }
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : DEFAULT_SENTINEL_PORT,
    tls: url.protocol === "rediss:",
    ...(password === undefined ? {} : { password }),
  };
}
