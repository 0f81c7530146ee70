import { answerToEvents, type CachedAnswer } from "../middleware/cached-answer.js";
import type { FlightCoordinator, FlightFollower, FlightLease } from "./flight-coordinator.js";
import type { FlightFallBackReason, FlightOutcome } from "./flight-stats.js";
import type { PrefixReconciler } from "./prefix-reconciler.js";

/** What this process does about a missing key after asking the coordinator. */
export type FollowOutcome =
  /**
   * Make the upstream call: as the leader when `lease` is set, else alone
   * (the coordinator is unreachable, gave up, or had no answer to share).
   * A stream call feeds its events through `reconciler`, which knows what
   * the flight's callers have already been shown.
   */
  | { type: "call"; lease?: FlightLease }
  /**
   * Another process answered. A generate flight gets the `answer`; a stream
   * flight's events have already been pushed into the flight.
   */
  | { type: "served"; answer?: CachedAnswer };

export interface FollowOptions {
  coordinator: FlightCoordinator;
  key: string;
  kind: "generate" | "stream";
  /** The in-process flight's signal: every local caller went away. */
  signal: AbortSignal;
  /** Events shown to the flight's callers, and how to show one more. */
  reconciler: PrefixReconciler;
  /** The answer in the shared store, validated; `undefined` on a miss. */
  readStored(): Promise<CachedAnswer | undefined>;
  /**
   * How the claim ended, once (not when the flight's abort cut it short):
   * `waitMs` is set when this process followed another one.
   */
  record?(outcome: FlightOutcome, reason: FlightFallBackReason | undefined, waitMs?: number): void;
  /** Clock for the follow's wait. Default `Date.now`. */
  now?(): number;
}

const UPSTREAM = { type: "upstream" } as const;

/**
 * Claims `key` and, as a follower, relays the leader's flight into this
 * process's flight until it ends (see `FlightCoordinator`). Only a
 * `StreamDivergedError` (from the reconciler) or the flight's abort escape:
 * every other trouble ends in "make the call yourself".
 */
export async function followFlight(options: FollowOptions): Promise<FollowOutcome> {
  const { coordinator, key } = options;
  const record = options.record;
  let claim: Awaited<ReturnType<FlightCoordinator["claim"]>>;
  try {
    claim = await coordinator.claim(key);
  } catch {
    record?.("fell-back", "unavailable");
    return { type: "call" };
  }
  if (claim.role === "leader") {
    record?.("led", undefined);
    return { type: "call", lease: claim.lease };
  }
  if (claim.role === "done") {
    const outcome = await serveStored(options);
    record?.(outcome.type === "served" ? "served" : "fell-back", "not-stored");
    return outcome;
  }
  const now = options.now ?? Date.now;
  const startedAt = now();
  const [outcome, how, reason] = await follow(options, claim.follower);
  record?.(how, reason, now() - startedAt);
  return outcome;
}

type Followed = [FollowOutcome, FlightOutcome, FlightFallBackReason | undefined];

/** Relays the leader's flight until a final signal; says what came of it. */
async function follow(options: FollowOptions, follower: FlightFollower): Promise<Followed> {
  const { kind, signal, reconciler } = options;
  // Whether the current leader's events reached its `finish` here, and are
  // still being relayed (a truncated stream is read from the store at the end).
  let finished = false;
  let relaying = kind === "stream";
  for await (const step of follower.watch(signal)) {
    switch (step.type) {
      case "event":
        if (!relaying) break;
        reconciler.accept(step.event);
        if (step.event.type === "finish") finished = true;
        break;
      case "restart":
        reconciler.restart();
        finished = false;
        relaying = kind === "stream";
        break;
      case "truncated":
        relaying = false;
        break;
      case "done": {
        if (relaying && finished) return [{ type: "served" }, "served", undefined];
        const outcome = step.stored ? await serveStored(options) : ({ type: "call" } as const);
        return [outcome, outcome.type === "served" ? "served" : "fell-back", "not-stored"];
      }
      case "takeover":
        return [{ type: "call", lease: step.lease }, "handed-over", undefined];
      case "give-up":
        return [{ type: "call" }, "fell-back", step.reason];
    }
  }
  return [{ type: "call" }, "fell-back", "unavailable"];
}

/** The stored answer, replayed into a stream flight through the reconciler; else make the call. */
async function serveStored(options: FollowOptions): Promise<FollowOutcome> {
  let answer: CachedAnswer | undefined;
  try {
    answer = await options.readStored();
  } catch {
    answer = undefined;
  }
  if (answer === undefined) return { type: "call" };
  if (options.kind === "stream") {
    options.reconciler.restart();
    for (const event of answerToEvents(answer, UPSTREAM)) options.reconciler.accept(event);
  }
  return { type: "served", answer };
}
