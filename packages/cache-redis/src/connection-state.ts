import { NetworkError } from "@llm/core";
import { asRedisTLSError } from "@llm/redis-connection";
import type { Cluster, Redis } from "ioredis";

export type StoreState = "up" | "down";

export interface StoreStateChange {
  state: StoreState;
  /**
   * Why the store went down: the connection error (a `RedisTLSError` for a
   * failed TLS handshake), or a `NetworkError` for a plain close (absent for `"up"`).
   */
  error?: Error;
}

/**
 * Turns an ioredis connection's event stream into up / down transitions, each
 * reported once: while Redis is down ioredis emits an `error` and a `close` on
 * every reconnection attempt, and a listener must not hear each of them. The
 * first `ready` is the normal start, not news: `up` is reported only after a
 * `down`. Nothing is reported once `stopped()` says the store was closed on
 * purpose.
 */
export function watchConnectionState(
  client: Redis | Cluster,
  onChange: (change: StoreStateChange) => void,
  stopped: () => boolean,
): { readonly state: StoreState | undefined } {
  let state: StoreState | undefined = client.status === "ready" ? "up" : undefined;
  let lastError: Error | undefined;
  const report = (change: StoreStateChange) => {
    try {
      onChange(change);
    } catch {
      // A failing listener must not break the connection's event handling.
    }
  };
  const down = () => {
    if (stopped() || state === "down") return;
    state = "down";
    report({ state, error: lastError ?? new NetworkError("The Redis connection closed") });
  };
  client.on("error", (error: Error) => {
    lastError = asRedisTLSError(error) ?? error;
    down();
  });
  client.on("close", down);
  client.on("ready", () => {
    const wasDown = state === "down";
    state = "up";
    lastError = undefined;
    if (wasDown && !stopped()) report({ state });
  });
  return {
    get state() {
      return state;
    },
  };
}
