/**
 * Times a synchronous or async operation: warms up, then runs batches until
 * `minMs` has passed, and reports nanoseconds per operation (the median of
 * the batches, which shrugs off a GC pause or a scheduler hiccup).
 */
export async function nsPerOp(
  op: () => unknown,
  {
    warmup = 20_000,
    batch = 10_000,
    minMs = 400,
  }: { warmup?: number; batch?: number; minMs?: number } = {},
): Promise<number> {
  for (let i = 0; i < warmup; i++) await op();
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || samples.length < 5) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) {
      const r = op();
      if (r instanceof Promise) await r;
    }
    samples.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
