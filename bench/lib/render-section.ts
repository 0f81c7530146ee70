/**
 * Renders one `BenchResult` as markdown: intro, tables, acceptance rows, notes, chart links.
 * Used for BENCHMARKS.md (from the stored JSON) and when a bench file is run directly.
 */
import { markdownTable } from "./markdown-table.ts";
import type { AcceptanceRow, BenchResult, Cell, ResultTable } from "./result.ts";

const cell = (c: Cell): string => (c === null ? "—" : String(c));

export function verdict(met: boolean | null): string {
  return met === true ? "✓ met" : met === false ? "**✗ missed**" : "— (reported)";
}

export function renderTable(table: ResultTable, headingLevel = "####"): string {
  const parts: string[] = [];
  if (table.title) parts.push(`${headingLevel} ${table.title}`, "");
  parts.push(
    markdownTable(
      table.columns,
      table.rows.map((row) => row.map(cell)),
    ),
  );
  if (table.note) parts.push("", table.note);
  return parts.join("\n");
}

export function acceptanceTable(rows: readonly AcceptanceRow[]): string {
  return markdownTable(
    ["check", "target", "measured", "baseline", "result"],
    rows.map((r) => [
      `${r.check}${r.heldOut ? " (held-out data)" : ""}`,
      r.target,
      r.measured,
      r.baseline,
      verdict(r.met),
    ]),
  );
}

/**
 * The body of a section (no heading): what BENCHMARKS.md puts under the section's heading.
 * `chartLink` turns a chart id into the relative path the document links to.
 */
export function renderSectionBody(
  result: BenchResult,
  chartLink: (chartId: string) => string | undefined = () => undefined,
): string {
  const parts: string[] = [];
  for (const p of result.intro ?? []) parts.push(p, "");
  for (const t of result.tables) parts.push(renderTable(t), "");
  if (result.acceptance.length > 0) {
    parts.push("#### Acceptance", "", acceptanceTable(result.acceptance), "");
  }
  for (const p of result.notes ?? []) parts.push(p, "");
  for (const chart of result.charts ?? []) {
    const link = chartLink(chart.id);
    if (link) parts.push(`![${chart.title}](${link})`, "");
  }
  return parts.join("\n").trim();
}
