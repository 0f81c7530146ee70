/**
 * How one coordinated miss ended for this process (see `FlightCoordinator`):
 * - `led`: it held the lease and made the one upstream call for every process;
 * - `served`: another process answered — its stream relayed live, or its
 *   answer read from the shared store;
 * - `handed-over`: it followed a leader that vanished or failed, took the
 *   lease over and made the call itself (as the new leader);
 * - `fell-back`: it made its own, uncoordinated call (see `FlightFallBackReason`).
 */
export type FlightOutcome = "led" | "served" | "handed-over" | "fell-back";

/**
 * Why a process made its own call: the coordinator was `unavailable` (the
 * claim failed, or it went away mid-follow), the follow hit its `timeout`,
 * the shared log held a `corrupt` entry, or the leader finished with
 * `not-stored` (its answer was not stored, or no longer readable).
 */
export type FlightFallBackReason = "unavailable" | "timeout" | "corrupt" | "not-stored";

/** What cross-process single-flight did in this process; counters only grow. */
export interface FlightStats {
  /** Misses the coordinator was asked about. */
  claims: number;
  /** Claims that made this process the leader. */
  led: number;
  /** Claims that made it follow another process's flight. */
  followed: number;
  /** Misses another process answered (followed, or finished a moment before the claim). */
  served: number;
  /** Followed flights whose leader vanished or failed: this process took over and made the call. */
  handedOver: number;
  /** Own, uncoordinated calls, by reason. */
  fellBack: { unavailable: number; timeout: number; corrupt: number; notStored: number };
  /** How long followers waited, from the claim to the end of the follow (ms). */
  followWaitMs: { count: number; total: number; max: number };
}

const FALL_BACK_FIELD = {
  unavailable: "unavailable",
  timeout: "timeout",
  corrupt: "corrupt",
  "not-stored": "notStored",
} as const satisfies Record<FlightFallBackReason, keyof FlightStats["fellBack"]>;

/** Mutable counters behind `FlightStats`: plain fields, nothing allocated per flight. */
export class FlightStatsRecorder {
  claims = 0;
  led = 0;
  followed = 0;
  served = 0;
  handedOver = 0;
  readonly fellBack = { unavailable: 0, timeout: 0, corrupt: 0, notStored: 0 };
  readonly followWaitMs = { count: 0, total: 0, max: 0 };

  /**
   * One claim's end. `waitMs` is set when this process followed another
   * (whatever came of it), so the wait is counted once per follow.
   */
  record(outcome: FlightOutcome, reason: FlightFallBackReason | undefined, waitMs?: number): void {
    this.claims++;
    if (outcome === "led") this.led++;
    else if (outcome === "served") this.served++;
    else if (outcome === "handed-over") this.handedOver++;
    else this.fellBack[FALL_BACK_FIELD[reason ?? "unavailable"]]++;
    if (waitMs === undefined) return;
    this.followed++;
    const wait = this.followWaitMs;
    wait.count++;
    wait.total += waitMs;
    if (waitMs > wait.max) wait.max = waitMs;
  }

  snapshot(): FlightStats {
    return {
      claims: this.claims,
      led: this.led,
      followed: this.followed,
      served: this.served,
      handedOver: this.handedOver,
      fellBack: { ...this.fellBack },
      followWaitMs: { ...this.followWaitMs },
    };
  }
}
