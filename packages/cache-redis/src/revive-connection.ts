import type { Redis } from "ioredis";

/**
 * ioredis gives a Sentinel connection up for good (status `end`) when its
 * failover detector fires while the connection is already reconnecting: the
 * sentinels' `+switch-master` after a master crash closes the connector in the
 * middle of its connect, and that rejection is treated as final. A store that
 * was not closed on purpose connects again after `delayMs` (a subscriber
 * resubscribes: ioredis keeps its channels across the gap).
 */
export function reviveOnUnexpectedEnd(
  connection: Redis,
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
