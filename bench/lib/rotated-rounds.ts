/**
 * Nanoseconds per call of several subjects measured side by side, for differences of a few
 * nanoseconds, where `nsPerOp` alone is not trustworthy:
 *
 * - **One call site per subject.** A timing loop shared by every subject (`op()` inside one
 *   function) sees several targets, turns polymorphic, and V8 stops inlining there, so
 *   whichever subject ran first is timed under better conditions than the rest. Each subject
 *   here gets its own loop, compiled from source that names it, so its call site sees one
 *   target only.
 * - **Rounds in rotated order.** Subjects run in turn, a short stretch each, and the order
 *   rotates every round; a burst of load from another process, a GC or a CPU frequency change
 *   lands on one subject's stretch in one round, not on one subject throughout.
 * - **Medians of rounds.** A subject's figure is its median over rounds; a ratio between two
 *   subjects is the median of their per-round ratios (`sliceRatio`), reported with its spread.
 */

export interface Subject {
  /** Shown nowhere but in the compiled loop's source, which it makes unique. */
  name: string;
  /** One call; a returned promise is awaited, a synchronous result is not. */
  op: () => unknown;
}

export interface RoundsOptions {
  rounds: number;
  /** Calls per subject before the first round. */
  warmup: number;
  /** Calls per timed batch. */
  batch: number;
  /** Time per subject per round; a round's figure is the median of its batches. */
  msPerRound: number;
}

type Loop = (op: () => unknown, n: number) => Promise<number>;

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => Loop;

/** A timing loop of its own for `name`: its `op()` call site sees that subject only. */
function compileLoop(name: string): Loop {
  // The comment makes the source unique, so V8 cannot hand two subjects one cached function.
  return new AsyncFunction(
    "op",
    "n",
    `// timing loop of ${JSON.stringify(name)}
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const r = op();
      if (r instanceof Promise) await r;
    }
    return Number(process.hrtime.bigint() - t0) / n;`,
  );
}

/** Each subject's ns per call in every round, in the subjects' order: `perRound[s][round]`. */
export async function rotatedRounds(
  subjects: readonly Subject[],
  { rounds, warmup, batch, msPerRound }: RoundsOptions,
): Promise<number[][]> {
  const loops = subjects.map((s) => compileLoop(s.name));
  for (const [i, s] of subjects.entries()) await loops[i]?.(s.op, warmup);
  const perRound = subjects.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const i = (round + k) % subjects.length;
      const loop = loops[i] as Loop;
      const op = (subjects[i] as Subject).op;
      const samples: number[] = [];
      const start = performance.now();
      while (performance.now() - start < msPerRound || samples.length < 3) {
        samples.push(await loop(op, batch));
      }
      perRound[i]?.push(median(samples));
    }
  }
  return perRound;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(mid)] as number) + (sorted[Math.ceil(mid)] as number)) / 2;
}
