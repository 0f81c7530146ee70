import { getHeapStatistics } from "node:v8";

/** What the process uses, in bytes. */
export interface ProcessMemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** V8's `heap_size_limit`: the heap size at which the process dies. */
  heapLimit: number;
}

/** Injectable so tests can simulate pressure deterministically. */
export type ProcessMemoryReader = () => ProcessMemorySample;

export const readProcessMemory: ProcessMemoryReader = () => {
  const usage = process.memoryUsage();
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    heapLimit: getHeapStatistics().heap_size_limit,
  };
};
