/**
 * GCRA (the generic cell rate algorithm, as in ATM networks and `redis-cell`):
 * a budget of `limit` units per `periodMs` is one number per dimension, the
 * theoretical arrival time (TAT) of the next unit. A unit costs
 * `periodMs / limit` of TAT; a take fits when the new TAT is at most
 * `periodMs` ahead of now, so an idle budget allows a burst of `limit` and
 * then refills smoothly. Requests and tokens are two dimensions of one
 * budget, decided together so neither is spent when the other refuses.
 *
 * This file is the reference; `redis-script.ts` is the same arithmetic in Lua
 * and the shared store suite checks that both decide alike.
 */

/** `limit` units per `periodMs`. */
export interface Rate {
  readonly limit: number;
  readonly periodMs: number;
}

/** One dimension of an operation: its rate (absent: the dimension is not limited) and units. */
export interface DimensionUnits {
  readonly rate?: Rate;
  readonly units: number;
}

/**
 * What a store applies atomically to a budget's two dimensions
 * (`[requests, tokens]`):
 * - `take`: reserve `units`, granted when the wait is ≤ `maxWaitMs`; a
 *   granted reservation with a wait is a place in the queue, held for the caller.
 * - `adjust`: add (or, negative, give back) units already taken — tokens
 *   settled against the estimate once the usage is known.
 * - `floor`: the provider said only `units` are left at `now + afterMs`
 *   (remaining headers; a 429's retry-after as `units: 1`): the budget is
 *   tightened to that, never loosened.
 */
export type GcraOperation =
  | { readonly kind: "take"; readonly maxWaitMs: number; readonly dims: readonly DimensionUnits[] }
  | { readonly kind: "adjust"; readonly dims: readonly DimensionUnits[] }
  | { readonly kind: "floor"; readonly afterMs: number; readonly dims: readonly DimensionUnits[] };

export interface GcraOutcome {
  /** For `take`: whether the reservation was made. Always true for the others. */
  readonly granted: boolean;
  /** For `take`: how long the caller waits for its reservation (granted), or would have to (refused). */
  readonly waitMs: number;
}

/** Milliseconds of TAT one unit costs. */
export const emissionMs = (rate: Rate): number => rate.periodMs / rate.limit;

/**
 * Applies `operation` to `tats` (one TAT per dimension, 0 when idle) at `now`.
 * Returns the outcome and the new TATs (the same array object, updated in place,
 * only when something changed).
 */
export function applyGcra(
  tats: number[],
  operation: GcraOperation,
  now: number,
): GcraOutcome & { readonly changed: boolean } {
  const { dims } = operation;
  if (operation.kind === "take") {
    let waitMs = 0;
    const next = tats.slice();
    for (let i = 0; i < dims.length; i++) {
      const { rate, units } = dims[i] as DimensionUnits;
      if (rate === undefined || units <= 0) continue;
      const tat = Math.max(tats[i] ?? 0, now) + units * emissionMs(rate);
      waitMs = Math.max(waitMs, tat - rate.periodMs - now);
      next[i] = tat;
    }
    if (waitMs > operation.maxWaitMs) return { granted: false, waitMs, changed: false };
    for (let i = 0; i < next.length; i++) tats[i] = next[i] as number;
    return { granted: true, waitMs, changed: true };
  }
  let changed = false;
  for (let i = 0; i < dims.length; i++) {
    const { rate, units } = dims[i] as DimensionUnits;
    if (rate === undefined) continue;
    const tat = tats[i] ?? 0;
    if (operation.kind === "adjust") {
      if (units === 0) continue;
      tats[i] = tat + units * emissionMs(rate);
      changed = true;
    } else {
      const floor = now + operation.afterMs + rate.periodMs - units * emissionMs(rate);
      if (floor > tat) {
        tats[i] = floor;
        changed = true;
      }
    }
  }
  return { granted: true, waitMs: 0, changed };
}
