import { probeTLS, type TLSProbeTarget } from "./probe-tls.js";
import { asRedisTLSError } from "./redis-tls-error.js";

/** The part of an ioredis connection `readyOrTLSFailure` uses (structural: no ioredis import). */
export interface ReadyWatchable {
  readonly status: string;
  /** ioredis's options (a cluster's too): where a probe reads the TLS settings and addresses. */
  readonly options?: object;
  on(event: "ready", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  off(event: "ready", listener: () => void): unknown;
  off(event: "error", listener: (error: Error) => void): unknown;
}

/**
 * Resolves once the connection is ready; rejects with a `RedisTLSError` at
 * the first TLS failure. Other errors (Redis not up yet, a refused
 * connection) go on waiting, as ioredis goes on reconnecting: they may pass,
 * a refused certificate does not — waiting for it would hang a start-up. The
 * first such error of a TLS connection is probed once for a TLS reason
 * ioredis did not pass on (see `probeTLS`).
 */
export function readyOrTLSFailure(connection: ReadyWatchable): Promise<void> {
  if (connection.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    let probed = false;
    const onReady = () => {
      stop();
      resolve();
    };
    const fail = (tls: Error) => {
      stop();
      reject(tls);
    };
    const onError = (error: Error) => {
      const tls = asRedisTLSError(error);
      if (tls !== undefined) return fail(tls);
      if (probed) return;
      probed = true;
      const options: TLSProbeTarget = connection.options ?? {};
      const side = error.message.startsWith("All sentinels are unreachable")
        ? "sentinels"
        : options.sentinels
          ? undefined // a data node named by the sentinels: ioredis reports its TLS errors itself
          : "server";
      if (side === undefined) return;
      void probeTLS(options, side).then((found) => {
        if (found !== undefined && connection.status !== "ready") fail(found);
      });
    };
    const stop = () => {
      connection.off("ready", onReady);
      connection.off("error", onError);
    };
    connection.on("ready", onReady);
    connection.on("error", onError);
  });
}
