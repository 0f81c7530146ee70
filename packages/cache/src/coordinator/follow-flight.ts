import { answerToEvents, type CachedAnswer } from "../middleware/cached-answer.js";
import type { FlightCoordinator, FlightLease } from "./flight-coordinator.js";
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
}

const UPSTREAM = { type: "upstream" } as const;

/**
 * Claims `key` and, as a follower, relays the leader's flight into this
 * process's flight until it ends (see `FlightCoordinator`). Only a
 * `StreamDivergedError` (from the reconciler) or the flight's abort escape:
 * every other trouble ends in "make the call yourself".
 */
export async function followFlight(options: FollowOptions): Promise<FollowOutcome> {
  const { coordinator, key, kind, signal, reconciler } = options;
  let claim: Awaited<ReturnType<FlightCoordinator["claim"]>>;
  try {
    claim = await coordinator.claim(key);
  } catch {
    return { type: "call" };
  }
  if (claim.role === "leader") return { type: "call", lease: claim.lease };
  if (claim.role === "done") return serveStored(options);

  // Whether the current leader's events reached its `finish` here, and are
  // still being relayed (a truncated stream is read from the store at the end).
  let finished = false;
  let relaying = kind === "stream";
  for await (const step of claim.follower.watch(signal)) {
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
      case "done":
        if (relaying && finished) return { type: "served" };
        if (!step.stored) return { type: "call" };
        return serveStored(options);
      case "takeover":
        return { type: "call", lease: step.lease };
      case "give-up":
        return { type: "call" };
    }
  }
  return { type: "call" };
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
