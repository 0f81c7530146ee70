import { ConfigError } from "@llm/core";
import {
  type RedisTLSOptions,
  type TLSConnectionOptions,
  tlsConnectionOptions,
} from "@llm/redis-connection";

/**
 * ioredis's `tls` for a connection made from `url`, certificates loaded once
 * here (a `rediss://` url with no `tls` needs none: ioredis then uses Node's
 * CAs). With `sentinel`, `sentinelConnectionOptions` takes `tls` instead. A
 * cluster's TLS is not offered yet, and your own `client` carries its own: both
 * refuse `tls` rather than ignore it.
 */
export function urlTLSOptions(options: {
  tls?: RedisTLSOptions | undefined;
  url?: string | undefined;
  cluster?: unknown;
  client?: unknown;
}): { tls?: TLSConnectionOptions } {
  if (options.tls === undefined) return {};
  if (options.cluster !== undefined || options.client !== undefined) {
    throw new ConfigError("`tls` applies to a `url` or `sentinel` connection only", {
      issues: [
        {
          path: "tls",
          message:
            options.client !== undefined
              ? "set TLS on your own client"
              : "TLS to a Redis Cluster is not supported yet",
        },
      ],
    });
  }
  return options.url === undefined ? {} : { tls: tlsConnectionOptions(options.tls) };
}
