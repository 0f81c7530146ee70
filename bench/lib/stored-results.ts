/**
 * The results on disk: `bench/results/<id>.json` (quick runs: `bench/results/quick/<id>.json`),
 * each a `StoredResult`. BENCHMARKS.md and the charts are rendered from these files only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, relative } from "node:path";
import type { BenchResult, StoredResult } from "./result.ts";
import { assertBenchResult } from "./validate.ts";

/** The folder a full run or a quick run keeps its results in. */
export const resultsFolder = (benchDir: string, quick: boolean): string =>
  join(benchDir, "results", ...(quick ? ["quick"] : []));

export const resultPath = (dir: string, id: string): string => join(dir, `${id}.json`);

export function machine(): StoredResult["machine"] {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
  const [one = 0, five = 0] = loadavg();
  return {
    cpu: model,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    loadAvg: [Math.round(one * 100) / 100, Math.round(five * 100) / 100],
  };
}

function isStored(value: unknown): value is StoredResult {
  const v = value as Partial<StoredResult> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.commit === "string" &&
    typeof v.date === "string" &&
    typeof v.durationMs === "number" &&
    typeof v.quick === "boolean" &&
    typeof v.machine === "object"
  );
}

/**
 * Every valid `StoredResult` under `dir` (not descending into `quick/` from the full folder).
 * Other JSON (a bench's side file, an older format) is skipped and named in `skipped`.
 */
export function loadStored(
  dir: string,
  rootDir: string,
): { results: StoredResult[]; skipped: string[] } {
  const results: StoredResult[] = [];
  const skipped: string[] = [];
  const walk = (folder: string, top: boolean) => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!(top && entry.name === "quick") && !entry.name.startsWith(".")) walk(path, false);
        continue;
      }
      if (!entry.name.endsWith(".json")) continue;
      try {
        const value: unknown = JSON.parse(readFileSync(path, "utf8"));
        assertBenchResult(value, rootDir);
        if (!isStored(value)) throw new Error("no commit, date or machine");
        const expected = resultPath(dir, value.id);
        if (expected !== path) throw new Error(`id ${value.id} does not match its file name`);
        results.push(value);
      } catch (error) {
        skipped.push(`${relative(rootDir, path)} (${(error as Error).message})`);
      }
    }
  };
  walk(dir, true);
  return { results, skipped };
}

export function writeStored(dir: string, stored: StoredResult): void {
  const path = resultPath(dir, stored.id);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(stored, null, 2)}\n`);
}

export function removeStored(dir: string, id: string): void {
  rmSync(resultPath(dir, id), { force: true });
}

export function toStored(
  result: BenchResult,
  extra: Omit<StoredResult, keyof BenchResult>,
): StoredResult {
  return { ...result, ...extra };
}
