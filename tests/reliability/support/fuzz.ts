import type { Parameters } from "fast-check";

/**
 * Fixed seed: CI runs the same cases every time (FUZZ_SEED explores others
 * locally, FUZZ_RUNS more of them; fast-check prints the seed and path of any
 * counter-example).
 */
export function fuzzParams<T>(numRuns: number): Parameters<T> {
  return {
    numRuns: Number(process.env.FUZZ_RUNS ?? numRuns),
    seed: Number(process.env.FUZZ_SEED ?? 20_261_125),
  };
}
