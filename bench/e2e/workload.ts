import { xorshift32, zipfSampler } from "../lib/zipf.ts";

/**
 * The replayed e2e workload: a deterministic trace of chat requests.
 *
 * - Repeat prompts drawn Zipf(s) over `distinct` prompts; a share of one-off prompts that
 *   never come back (a user's unique question).
 * - A phase change at `phaseChangeAt`: half the prompt population is replaced by new
 *   prompts and popularity is reshuffled (a new hot set), as when a feature ships.
 * - A share of the calls is streamed (`stream: true`); the same prompt may be asked both
 *   ways, as real clients do.
 *
 * Everything comes from one seeded xorshift PRNG, so every configuration replays the
 * very same requests.
 */
export interface WorkloadOptions {
  requests: number;
  distinct: number;
  zipf: number;
  oneOffShare: number;
  streamShare: number;
  /** Index of the first request of phase 2. */
  phaseChangeAt: number;
  seed?: number;
}

export interface TraceEntry {
  /** `p<id>` for a repeat prompt, `once<n>` for a one-off. */
  promptId: string;
  stream: boolean;
  phase: 1 | 2;
}

export function workload(options: WorkloadOptions): TraceEntry[] {
  const { requests, distinct: n, zipf, oneOffShare, streamShare, phaseChangeAt } = options;
  const random = xorshift32(options.seed ?? 0x9e3779b9);
  const rank = zipfSampler(n, zipf, random);
  const shuffled = (ids: number[]) => {
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
    }
    return ids;
  };
  // Phase 1 ranks prompts 0..n-1; phase 2 ranks n/2..3n/2-1 in a new order: half of the
  // population is new, and the survivors change popularity.
  const phase1 = shuffled(Array.from({ length: n }, (_, i) => i));
  const phase2 = shuffled(Array.from({ length: n }, (_, i) => i + Math.floor(n / 2)));
  const trace: TraceEntry[] = new Array(requests);
  let oneOff = 0;
  for (let i = 0; i < requests; i++) {
    const phase = i < phaseChangeAt ? 1 : 2;
    const promptId =
      random() < oneOffShare
        ? `once${oneOff++}`
        : `p${(phase === 1 ? phase1 : phase2)[rank()] as number}`;
    trace[i] = { promptId, stream: random() < streamShare, phase };
  }
  return trace;
}

const TOPICS = [
  "summarise the attached release notes for a customer newsletter",
  "explain the difference between a mutex and a semaphore with an example",
  "draft a polite reply declining a meeting next Tuesday",
  "translate the following product description into French",
  "write a SQL query that returns the top ten customers by revenue",
  "list three risks of migrating a monolith to microservices",
  "suggest a name for a budgeting app aimed at students",
  "review this function for off-by-one errors",
];

/** The user message of a trace entry: ~300–400 characters, stable per prompt id. */
export function promptText(promptId: string): string {
  let h = 2166136261;
  for (let i = 0; i < promptId.length; i++) h = Math.imul(h ^ promptId.charCodeAt(i), 16777619);
  const topic = TOPICS[(h >>> 0) % TOPICS.length] as string;
  return (
    `Request ${promptId}: please ${topic}. Keep the answer short, use plain language, ` +
    "and do not repeat the question. Context: the reader is a busy engineer who wants the " +
    `gist in a few sentences; reference number ${(h >>> 0).toString(36)}. ` +
    "If something is ambiguous, state the assumption you made in one clause."
  );
}

export const SYSTEM_PROMPT = "You are a concise, helpful assistant for a software company.";
