import { xorshift32, zipfSampler } from "../lib/zipf.ts";

/**
 * A synthetic LLM prompt stream: Zipf-distributed repeat prompts, a share of one-off prompts
 * that never come back, and a phase change half-way (half the prompt population is replaced
 * and popularity is reshuffled), as when a product launches a feature or a day turns over.
 */
export interface LlmWorkloadOptions {
  requests: number;
  distinctPrompts: number;
  zipf: number;
  oneOffShare: number;
  seed?: number;
}

export const DEFAULT_LLM_WORKLOAD: LlmWorkloadOptions = {
  requests: 1_000_000,
  distinctPrompts: 10_000,
  zipf: 1.1,
  oneOffShare: 0.1,
};

export function llmWorkload(options: LlmWorkloadOptions = DEFAULT_LLM_WORKLOAD): string[] {
  const { requests, distinctPrompts: n, zipf, oneOffShare } = options;
  const random = xorshift32(options.seed ?? 0x2545f491);
  const rank = zipfSampler(n, zipf, random);
  // Phase 1: prompt ids 0..n-1 by popularity. Phase 2: ids n/2..3n/2-1 shuffled, so half
  // the prompts are new and the survivors change rank.
  const phase1 = Array.from({ length: n }, (_, i) => i);
  const phase2 = Array.from({ length: n }, (_, i) => i + Math.floor(n / 2));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [phase2[i], phase2[j]] = [phase2[j] as number, phase2[i] as number];
  }
  const keys: string[] = new Array(requests);
  let oneOff = 0;
  for (let i = 0; i < requests; i++) {
    if (random() < oneOffShare) {
      keys[i] = `once:${oneOff++}`;
      continue;
    }
    const ids = i < requests / 2 ? phase1 : phase2;
    keys[i] = `prompt:${ids[rank()] as number}`;
  }
  return keys;
}
