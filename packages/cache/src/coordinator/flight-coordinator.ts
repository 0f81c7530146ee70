import type { StreamEvent } from "@llm/core";

/**
 * Single-flight across processes: the contract `cacheMiddleware` consults
 * after its own, in-process single-flight misses, so that N processes asking
 * the same missing key make one upstream call. `@llm/cache-redis` implements
 * it on Redis (`RedisFlightCoordinator`); any shared system with an atomic
 * "set if absent, with expiry" and an ordered log can.
 *
 * The middleware keeps its in-process flights in front: one process asks the
 * coordinator at most once per key at a time, whatever its concurrency.
 *
 * Keys are the middleware's cache keys (hashes), never request text or secrets.
 */
export interface FlightCoordinator {
  readonly name: string;
  /**
   * Becomes the leader of `key` (nobody else is computing it), or a follower
   * of the process that is, or learns that the answer was just stored.
   * Rejects when the coordinator is unreachable: the caller then makes its
   * own call, uncoordinated — coordination saves calls, it never fails one.
   */
  claim(key: string): Promise<FlightClaim>;
  /** Releases connections and stops renewing leases (tests, shutdown). */
  close?(): Promise<void>;
}

export type FlightClaim =
  | { role: "leader"; lease: FlightLease }
  | { role: "follower"; follower: FlightFollower }
  /** Another process finished this key a moment ago and stored its answer: read the store. */
  | { role: "done" };

/**
 * The leader's side: it makes the upstream call and tells followers what
 * happens. Every method is fenced — once another process holds the lease
 * (this one stalled past its expiry), nothing it publishes reaches followers —
 * and none throws: a coordinator outage must not fail the leader's own call.
 */
export interface FlightLease {
  /** Appends one stream event for followers, in order (bounded: see the implementation). */
  publish(event: StreamEvent): void;
  /**
   * The call succeeded; `stored` says whether its answer is now in the shared
   * store (call it after the store write has landed, so followers find it).
   */
  complete(stored: boolean): Promise<void>;
  /** The call failed or was abandoned: a follower takes the lease over at once. */
  abandon(): Promise<void>;
  /** False once the lease was lost (expired and taken, or the coordinator went away). */
  readonly held: boolean;
}

/** The follower's side: what the leader does, as it happens. */
export interface FlightFollower {
  /**
   * The remote flight's signals, in order, until one of the final ones
   * (`done`, `takeover`, `give-up`). Bounded in time by the coordinator's
   * maximum wait; throws only when `signal` aborts.
   */
  watch(signal?: AbortSignal): AsyncIterable<FollowSignal>;
}

export type FollowSignal =
  /** One live event of the current leader's stream. */
  | { type: "event"; event: StreamEvent }
  /** A new leader took over: its events start again from the beginning. */
  | { type: "restart" }
  /** The leader's events stop here (too many or too big): wait for `done` and read the store. */
  | { type: "truncated" }
  /** Final: the leader finished; with `stored`, its answer is in the shared store. */
  | { type: "done"; stored: boolean }
  /** Final: the leader vanished and this process now holds the lease: it makes the call. */
  | { type: "takeover"; lease: FlightLease }
  /** Final: following is no longer possible; the caller makes its own, uncoordinated call. */
  | { type: "give-up"; reason: FollowGiveUpReason };

export type FollowGiveUpReason =
  /** The wait exceeded the coordinator's bound. */
  | "timeout"
  /** The coordinator became unreachable. */
  | "unavailable"
  /** An entry of the shared log was not one of ours (damaged, foreign, too big). */
  | "corrupt";
