import { createHash } from "node:crypto";
import { xorshift32, zipfSampler } from "../lib/zipf.ts";

/**
 * A synthetic LLM prompt stream. Repeat prompts are drawn Zipf over a population of prompt
 * ids; a share of requests are one-off prompts that never come back; the population churns
 * (templates retired and introduced: a few ids replaced every `churnEvery` requests); and at
 * each hot-set shift a share of the population is replaced at once and popularity is
 * reshuffled, as when a product launches a feature or a day turns over. Keys look like real
 * request keys: a namespace and the SHA-256 hex of the prompt.
 */
export interface LlmWorkloadOptions {
  requests: number;
  distinctPrompts: number;
  zipf: number;
  /** Share of requests that are one-off prompts. */
  oneOffShare: number;
  /** Hot-set shifts, evenly spaced (1: one shift half-way). */
  shifts: number;
  /** Share of the population replaced at each shift. */
  shiftReplace: number;
  /** Template churn: one random population slot is replaced every `churnEvery` requests (0: none). */
  churnEvery: number;
  seed: number;
}

export const DEFAULT_LLM_WORKLOAD: LlmWorkloadOptions = {
  requests: 1_000_000,
  distinctPrompts: 10_000,
  zipf: 1.1,
  oneOffShare: 0.1,
  shifts: 1,
  shiftReplace: 0.5,
  churnEvery: 0,
  seed: 0x2545f491,
};

export interface LlmWorkload {
  keys: string[];
  /** Request indices at which a hot-set shift happens. */
  shiftsAt: number[];
}

export function llmWorkload(overrides: Partial<LlmWorkloadOptions> = {}): LlmWorkload {
  const o = { ...DEFAULT_LLM_WORKLOAD, ...overrides };
  const n = o.distinctPrompts;
  const random = xorshift32(o.seed);
  const rank = zipfSampler(n, o.zipf, random);
  // population[rank] = prompt id; new ids come from `nextId`.
  const population = Array.from({ length: n }, (_, i) => i);
  let nextId = n;
  const shiftsAt = Array.from({ length: o.shifts }, (_, i) =>
    Math.floor(((i + 1) * o.requests) / (o.shifts + 1)),
  );
  const digests = new Map<number, string>();
  const keyOf = (id: number): string => {
    let key = digests.get(id);
    if (key === undefined) {
      key = `llm:${createHash("sha256").update(`prompt ${o.seed} ${id}`).digest("hex")}`;
      digests.set(id, key);
    }
    return key;
  };
  const keys: string[] = new Array(o.requests);
  let shift = 0;
  let oneOff = 0;
  for (let i = 0; i < o.requests; i++) {
    if (shift < shiftsAt.length && i === shiftsAt[shift]) {
      shift++;
      for (let r = 0; r < n; r++) {
        if (random() < o.shiftReplace) population[r] = nextId++;
      }
      for (let r = n - 1; r > 0; r--) {
        const j = Math.floor(random() * (r + 1));
        [population[r], population[j]] = [population[j] as number, population[r] as number];
      }
    }
    if (o.churnEvery > 0 && i % o.churnEvery === 0) {
      population[Math.floor(random() * n)] = nextId++;
    }
    if (random() < o.oneOffShare) {
      keys[i] = `once:${createHash("sha256").update(`once ${o.seed} ${oneOff++}`).digest("hex")}`;
      continue;
    }
    keys[i] = keyOf(population[rank()] as number);
  }
  return { keys, shiftsAt };
}
