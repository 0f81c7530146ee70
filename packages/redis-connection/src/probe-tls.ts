import { type ConnectionOptions, connect } from "node:tls";
import { asRedisTLSError, type RedisTLSError } from "./redis-tls-error.js";

/** The part of ioredis's options a probe reads (structural: no ioredis import). */
export interface TLSProbeTarget {
  host?: string;
  port?: number;
  tls?: ConnectionOptions | boolean | null;
  sentinels?: readonly { host?: string; port?: number }[] | null;
  sentinelTLS?: ConnectionOptions | null;
}

/** Longest one probe waits, for the handshake and then for the server's verdict on it. */
const PROBE_TIMEOUT_MS = 2_000;
const VERDICT_MS = 500;

/**
 * Why a TLS connection fails, when ioredis cannot say: it reports sentinels
 * it could not reach as "All sentinels are unreachable… Connection is
 * closed" (their TLS error is dropped on the way), and a server that wants a
 * client certificate (TLS 1.3) often as a bare ECONNRESET, its alert lost to
 * the race with ioredis's first write. So shake hands once with the same
 * settings and send nothing: a refused certificate, or the server's alert,
 * gives the `RedisTLSError`; a handshake that holds (or a server simply down)
 * gives `undefined`.
 */
export async function probeTLS(
  target: TLSProbeTarget,
  side: "sentinels" | "server",
): Promise<RedisTLSError | undefined> {
  const endpoints =
    side === "sentinels"
      ? (target.sentinels ?? []).map((s) => ({ host: s.host, port: s.port ?? 26379 }))
      : [{ host: target.host, port: target.port ?? 6379 }];
  const tls = side === "sentinels" ? target.sentinelTLS : target.tls;
  if (!tls) return undefined;
  const options = tls === true ? {} : tls;
  for (const { host, port } of endpoints) {
    const outcome = await handshake(host ?? "localhost", port, options);
    if (outcome !== "unreachable") return outcome;
  }
  return undefined;
}

function handshake(
  host: string,
  port: number,
  options: ConnectionOptions,
): Promise<RedisTLSError | undefined | "unreachable"> {
  return new Promise((resolve) => {
    const socket = connect({ ...options, host, port, timeout: PROBE_TIMEOUT_MS });
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: RedisTLSError | undefined | "unreachable") => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    // A server that refuses our certificate says so just after the handshake: wait for it.
    socket.once("secureConnect", () => {
      timer = setTimeout(() => settle(undefined), VERDICT_MS);
    });
    socket.once("error", (error) => settle(asRedisTLSError(error) ?? "unreachable"));
    socket.once("end", () => settle(undefined));
    socket.once("timeout", () => settle("unreachable"));
  });
}
