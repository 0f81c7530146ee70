import type { Redis } from "ioredis";

/**
 * Subscribes `connection` to `channel`, and again after every reconnection.
 *
 * ioredis's own `autoResubscribe` sends SUBSCRIBE from its ready handler and
 * leaves the reply's promise unhandled (redis/ioredis#2187, not in 5.x): a
 * connection that drops again before the reply (Redis restarting, a failover)
 * or a NOPERM rejects it, and an unhandled rejection ends a Node process by
 * default. So the connection is made with `autoResubscribe: false` and the
 * subscription is renewed here on each `ready`, its failure going to
 * `onError` like any other connection error. A SUBSCRIBE still waiting for
 * its reply (queued before the first connection, or resent by ioredis after
 * a reconnection) is not sent twice.
 *
 * Resolves once the first subscription is answered (never rejects: a failure
 * went to `onError`).
 */
export function keepSubscribed(
  connection: Redis,
  channel: string,
  onError: (error: unknown) => void,
  stopped: () => boolean,
): Promise<void> {
  let pending = false;
  const subscribe = (): Promise<void> => {
    pending = true;
    return connection.subscribe(channel).then(
      () => {
        pending = false;
      },
      (error: unknown) => {
        pending = false;
        if (!stopped()) onError(error);
      },
    );
  };
  connection.on("ready", () => {
    if (!pending && !stopped()) void subscribe();
  });
  return subscribe();
}
