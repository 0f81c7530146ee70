/** Replays trace entries through a configuration at a fixed concurrency, timing each call. */
import type { Configuration } from "./configurations.ts";
import type { TraceEntry } from "./workload.ts";

export interface ReplayResult {
  /** Milliseconds per request, in trace order (NaN for a failed call). */
  latencies: Float64Array;
  failures: number;
  firstError: string | undefined;
  /** Client CPU (user + system) over the replay, µs. */
  cpuMicros: number;
  wallMs: number;
}

export async function replay(
  entries: readonly TraceEntry[],
  configuration: Pick<Configuration, "call">,
  concurrency: number,
): Promise<ReplayResult> {
  const latencies = new Float64Array(entries.length);
  let next = 0;
  let failures = 0;
  let firstError: string | undefined;
  const worker = async () => {
    for (let i = next++; i < entries.length; i = next++) {
      const started = performance.now();
      try {
        await configuration.call(entries[i] as TraceEntry);
        latencies[i] = performance.now() - started;
      } catch (error) {
        latencies[i] = Number.NaN;
        failures++;
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { latencies, failures, firstError, cpuMicros: used.user + used.system, wallMs };
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Mean and nearest-rank percentiles of the successful calls. */
export function summarize(latencies: ArrayLike<number>): LatencySummary {
  const ok = Array.from(latencies).filter((v) => !Number.isNaN(v));
  ok.sort((a, b) => a - b);
  const at = (q: number) =>
    ok[Math.min(ok.length - 1, Math.max(0, Math.ceil(q * ok.length) - 1))] ?? Number.NaN;
  const mean = ok.reduce((a, b) => a + b, 0) / ok.length;
  return { count: ok.length, mean, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
