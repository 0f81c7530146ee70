/**
 * Markdown for a BenchResult, for running a cache bench on its own (run-all renders
 * BENCHMARKS.md from the same results).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { chartGrid } from "../charts/svg.ts";
import { resultsDir } from "../lib/report.ts";
import type { BenchResult, Cell } from "../lib/result.ts";

const cell = (value: Cell): string => (value === null ? "—" : String(value));

export function resultMarkdown(result: BenchResult): string {
  const out: string[] = [`## ${result.title}`, "", `Reproduce: \`${result.command}\``, ""];
  for (const paragraph of result.intro ?? []) out.push(paragraph, "");
  if (result.acceptance.length > 0) {
    out.push(
      "| check | target | measured | baseline | met | held out |",
      "|---|---|---|---|---|---|",
    );
    for (const row of result.acceptance) {
      const met = row.met === null ? "—" : row.met ? "✓" : "✗";
      const held = row.heldOut === undefined ? "—" : row.heldOut ? "yes" : "no (tuning)";
      out.push(
        `| ${row.check} | ${row.target} | ${row.measured} | ${row.baseline} | ${met} | ${held} |`,
      );
    }
    out.push("");
  }
  for (const table of result.tables) {
    if (table.title) out.push(`#### ${table.title}`, "");
    out.push(`| ${table.columns.join(" | ")} |`, `|${table.columns.map(() => "---").join("|")}|`);
    for (const row of table.rows) out.push(`| ${row.map(cell).join(" | ")} |`);
    out.push("");
    if (table.note) out.push(table.note, "");
  }
  for (const paragraph of result.notes ?? []) out.push(paragraph, "");
  return out.join("\n");
}

/**
 * For a bench run on its own: writes `bench/results/<id>.json` and its charts as
 * `bench/results/<chart id>.svg`, and returns the markdown (with links to the charts).
 */
export function writeStandalone(result: BenchResult): string {
  const json = join(resultsDir, `${result.id}.json`);
  mkdirSync(dirname(json), { recursive: true });
  writeFileSync(
    json,
    `${JSON.stringify({ ...result, date: new Date().toISOString(), node: process.version }, null, 2)}\n`,
  );
  const links: string[] = [];
  for (const chart of result.charts ?? []) {
    writeFileSync(
      join(resultsDir, `${chart.id}.svg`),
      chartGrid(chart.panels, { title: chart.title, columns: chart.columns }),
    );
    links.push(`![${chart.title}](bench/results/${chart.id}.svg)`);
  }
  return [resultMarkdown(result), ...links].join("\n");
}
