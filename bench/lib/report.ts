import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export { markdownTable } from "./markdown-table.ts";

import { renderSectionBody } from "./render-section.ts";
import type { BenchOptions, BenchResult } from "./result.ts";

/** True when the module at `url` is the script node was started with. */
export const isMain = (url: string): boolean =>
  process.argv[1] !== undefined && fileURLToPath(url) === process.argv[1];

/** The command that reruns one bench file and refreshes its section of BENCHMARKS.md. */
export const rerunCommand = (benchFile: string): string => `pnpm bench --only ${benchFile}`;

/**
 * When the bench file at `url` is run directly (`node … pool/pool.bench.ts [--quick]`), runs
 * it and prints its result(s) as markdown. Nothing is written: run-all stores results.
 */
export async function runIfMain(
  url: string,
  run: (options: BenchOptions) => Promise<BenchResult | BenchResult[]>,
): Promise<void> {
  if (!isMain(url)) return;
  try {
    const results = await run({ quick: process.argv.includes("--quick") });
    for (const r of Array.isArray(results) ? results : [results]) {
      console.log(`## ${r.title}\n\n${renderSectionBody(r)}\n`);
    }
    process.exit(0);
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}

/** bench/results/, where run-all stores each result as `<id>.json`. */
export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "results");

/**
 * @deprecated Benches return a `BenchResult`; run-all stores it. Kept, writing nothing, only
 * so a bench not yet converted still compiles (run-all reports it as a failed bench).
 */
export function writeResult(_name: string, markdown: string): string {
  return markdown;
}
