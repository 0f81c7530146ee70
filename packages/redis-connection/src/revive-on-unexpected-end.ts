/** The part of an ioredis connection `reviveOnUnexpectedEnd` uses (structural: no ioredis import). */
export interface Reconnectable {
  readonly status: string;
  on(event: "end", listener: () => void): unknown;
  connect(): Promise<unknown>;
}

/**
 * ioredis gives a Sentinel connection up for good (status `end`) when its
 * failover detector fires while the connection is already reconnecting: the
 * sentinels' `+switch-master` after a master crash closes the connector in the
 * middle of its connect, and that rejection is treated as final. Unless the
 * owner closed it on purpose (`closed()`), connect again after `delayMs` (a
 * subscriber resubscribes: ioredis keeps its channels across the gap).
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
