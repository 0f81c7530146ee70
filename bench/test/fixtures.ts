import type { BenchResult, StoredResult } from "../lib/result.ts";

export function benchResult(overrides: Partial<BenchResult> = {}): BenchResult {
  return {
    id: "area/sample",
    title: "A sample bench",
    command: "pnpm bench --only area/sample.bench.ts",
    measures: ["bench/lib/result.ts"],
    tables: [{ columns: ["client", "µs"], rows: [["ours", 1.5]] }],
    acceptance: [
      {
        check: "cost per call",
        target: "≤ 1.10×",
        measured: "1.05×",
        baseline: "raw floor, 1.43 µs",
        met: true,
      },
    ],
    ...overrides,
  };
}

export function storedResult(overrides: Partial<StoredResult> = {}): StoredResult {
  return {
    ...benchResult(),
    commit: "0123456789abcdef0123456789abcdef01234567",
    date: "2026-12-01T10:00:00.000Z",
    durationMs: 12_000,
    quick: false,
    file: "area/sample.bench.ts",
    measuredDirty: false,
    machine: { cpu: "test cpu", cores: 2, memoryGiB: 4, node: "v20.0.0", loadAvg: [0.5, 0.4] },
    ...overrides,
  };
}
