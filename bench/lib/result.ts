/**
 * The one shape every bench returns. `run-all.ts` writes each result as JSON under
 * `bench/results/<id>.json` (with the commit, date and machine of the run that measured it)
 * and renders BENCHMARKS.md and the charts from those JSON files only — nothing is parsed
 * back out of markdown.
 *
 * A bench file exports `run(options: BenchOptions): Promise<BenchResult | BenchResult[]>` and
 * also runs when executed directly.
 */

export interface BenchOptions {
  /** `pnpm bench --quick`: small sizes, seconds not minutes; checks the bench runs, not its figures. */
  quick: boolean;
}

export type Cell = string | number | null;

export interface ResultTable {
  /** Rendered as a heading above the table when given. */
  title?: string;
  columns: string[];
  rows: Cell[][];
  /** Markdown shown under the table: what each column means, what was held out, caveats. */
  note?: string;
}

/**
 * One acceptance figure, shown in the summary at the top of BENCHMARKS.md. Each row names
 * the baseline it is compared with; `met` is computed by the bench from the measured
 * numbers, never typed by hand (`null`: reported, no target).
 */
export interface AcceptanceRow {
  /** What is checked, e.g. "hit cost vs lru-cache get (Zipf keys)". */
  check: string;
  /** The target as written in the issue, e.g. "≤ 1.3×". */
  target: string;
  /** The measured figure, formatted with its unit, e.g. "1.18×" or "81.5 %". */
  measured: string;
  /** The baseline it is compared with, e.g. "lru-cache 11 get(), same process". */
  baseline: string;
  met: boolean | null;
  /** Tuning discipline: true when measured on data that was held out from tuning. */
  heldOut?: boolean;
}

export interface BenchResult {
  /** Stable id, also the JSON file name: "cache/hit-rate", "pool/transport", … */
  id: string;
  title: string;
  /** The shell command (run from the repository root) that reproduces this result alone. */
  command: string;
  /**
   * Repository-relative files and folders whose content the figures depend on: the code
   * measured and the data read. run-all refuses to reuse an earlier result when any of them
   * changed since the commit that measured it.
   */
  measures: string[];
  /** Markdown paragraphs before the tables: the set-up, the workload, the baselines. */
  intro?: string[];
  tables: ResultTable[];
  acceptance: AcceptanceRow[];
  /** Markdown paragraphs after the tables: explanations of misses, what was left out. */
  notes?: string[];
  /**
   * Charts run-all draws from this result (bench/charts/svg.ts) into
   * `bench/results/<chart id>.svg` and links from BENCHMARKS.md.
   */
  charts?: ResultChart[];
  /** Any other raw data worth keeping with the result; JSON-safe. */
  series?: Record<string, unknown>;
}

/** A grid of line-chart panels, e.g. hit rate against cache size, one panel per trace. */
export interface ResultChart {
  /** File name without extension, e.g. "cache-hit-rate-curves". */
  id: string;
  title: string;
  columns: number;
  panels: Array<{
    title: string;
    xLabel: string;
    yLabel: string;
    xScale?: "linear" | "log";
    yMin?: number;
    yMax?: number;
    series: Array<{ name: string; points: Array<[number, number]>; dash?: string }>;
  }>;
}

/** What run-all adds around a result before writing `bench/results/<id>.json`. */
export interface StoredResult extends BenchResult {
  commit: string;
  /** ISO date of the run that measured it. */
  date: string;
  durationMs: number;
  quick: boolean;
  /** The bench file (relative to bench/) that produced it; run-all reruns that file to refresh it. */
  file?: string;
  /**
   * True when a file in `measures` had uncommitted or untracked changes when it was measured:
   * `commit` then does not describe the code measured, and run-all never reuses the result.
   */
  measuredDirty?: boolean;
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    node: string;
    loadAvg: [number, number];
  };
}
