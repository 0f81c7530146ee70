import type { LLMConfig } from "@llm/config";

type SentinelConfig = NonNullable<
  Extract<LLMConfig["rateLimits"]["store"], { type: "redis" }>["sentinel"]
>;

/** What ioredis's Sentinel support needs: `new Redis({ ...redisSentinelOptions(config), … })`. */
export interface RedisSentinelConnection {
  name: string;
  sentinels: { host: string; port: number }[];
  sentinelPassword?: string;
  /** Move at the sentinels' `+switch-master`, not only when the demoted master drops the connection. */
  failoverDetector: true;
  /** A demoted master answers writes with READONLY until the connection moves: reconnect then. */
  reconnectOnError: (error: Error) => boolean;
}

const DEFAULT_SENTINEL_PORT = 26379;

/**
 * The config's `sentinel` (addresses already checked to be `redis://host:port`)
 * → ioredis options. Secrets are revealed here, at the edge, and nowhere else;
 * a password in a sentinel URL stands in for `password` when that is unset.
 */
export function redisSentinelOptions(sentinel: SentinelConfig): RedisSentinelConnection {
  let urlPassword: string | undefined;
  const sentinels = sentinel.sentinels.map((address) => {
    const url = new URL(address.reveal());
    if (url.password) urlPassword ??= decodeURIComponent(url.password);
    return {
      host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port ? Number(url.port) : DEFAULT_SENTINEL_PORT,
    };
  });
  const sentinelPassword = sentinel.password?.reveal() ?? urlPassword;
  return {
    name: sentinel.name,
    sentinels,
    ...(sentinelPassword === undefined ? {} : { sentinelPassword }),
    failoverDetector: true,
    reconnectOnError: (error) => error.message.startsWith("READONLY"),
  };
}

/** The part of an ioredis connection `reviveOnUnexpectedEnd` uses. */
interface Reconnectable {
  readonly status: string;
  on(event: "end", listener: () => void): unknown;
  connect(): Promise<unknown>;
}

/**
 * ioredis gives a Sentinel connection up for good (status `end`) when its
 * failover detector fires while the connection is already reconnecting (the
 * sentinels' `+switch-master` after a master crash closes the connector in
 * the middle of its connect). Unless it was closed on purpose, connect again
 * after `delayMs`. (@llm/cache-redis does the same for its own connections.)
 */
export function reviveOnUnexpectedEnd(
  connection: Reconnectable,
  closed: () => boolean,
  delayMs: number,
): void {
  connection.on("end", () => {
    if (closed()) return;
    const timer = setTimeout(() => {
      if (!closed() && connection.status === "end") connection.connect().catch(() => {});
    }, delayMs);
    timer.unref();
  });
}
