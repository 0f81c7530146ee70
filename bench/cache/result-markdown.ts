/**
 * Markdown for a BenchResult, for running a cache bench on its own (run-all renders
 * BENCHMARKS.md from the same results).
 */
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
