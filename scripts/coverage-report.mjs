#!/usr/bin/env node
/**
 * Repo-wide line coverage, from the json-summary each package's `vitest run --coverage`
 * writes to `<package>/coverage/coverage-summary.json` (see vitest.shared.ts).
 *
 * Prints lines % per package and the repo-wide total (sum of covered lines ÷ sum of lines),
 * and exits 1 when a package is below the threshold or has no summary although its `test`
 * script runs coverage. Run after `turbo run test` (`pnpm coverage` does both).
 *
 * Usage: node scripts/coverage-report.mjs [--threshold 90]
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const thresholdArg = process.argv.indexOf("--threshold");
const threshold = thresholdArg === -1 ? 90 : Number(process.argv[thresholdArg + 1]);
if (!Number.isFinite(threshold)) {
  console.error("coverage-report: --threshold needs a number, e.g. --threshold 90");
  process.exit(2);
}

/** Workspace folders that hold coverage-reporting packages. */
const GROUPS = ["packages", "apps"];

const rows = [];
const problems = [];
for (const group of GROUPS) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const name of readdirSync(groupDir).sort()) {
    const dir = join(groupDir, name);
    const manifestPath = join(dir, "package.json");
    if (!statSync(dir).isDirectory() || !existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    const test = manifest.scripts?.test ?? "";
    const label = manifest.name ?? relative(root, dir);
    const summaryPath = join(dir, "coverage", "coverage-summary.json");
    if (!existsSync(summaryPath)) {
      // A package whose tests do not collect coverage cannot be below the bar; say so.
      if (!/coverage/.test(test)) {
        rows.push({
          label,
          covered: 0,
          total: 0,
          pct: undefined,
          note: "no coverage in its test script",
        });
        continue;
      }
      rows.push({ label, covered: 0, total: 0, pct: undefined, note: "NO SUMMARY" });
      problems.push(
        `${label}: no ${relative(root, summaryPath)} (run its tests with coverage first)`,
      );
      continue;
    }
    let lines;
    try {
      lines = JSON.parse(readFileSync(summaryPath, "utf8")).total.lines;
    } catch (error) {
      rows.push({ label, covered: 0, total: 0, pct: undefined, note: "UNREADABLE SUMMARY" });
      problems.push(
        `${label}: ${relative(root, summaryPath)} is not a coverage summary (${error.message})`,
      );
      continue;
    }
    const pct = lines.total === 0 ? 100 : (lines.covered / lines.total) * 100;
    const age = new Date(statSync(summaryPath).mtimeMs)
      .toISOString()
      .slice(0, 16)
      .replace("T", " ");
    const below = pct < threshold;
    rows.push({
      label,
      covered: lines.covered,
      total: lines.total,
      pct,
      note: below ? `BELOW ${threshold}%` : `ok (${age} UTC)`,
    });
    if (below) problems.push(`${label}: ${pct.toFixed(2)}% of lines covered, below ${threshold}%`);
  }
}

const covered = rows.reduce((sum, r) => sum + r.covered, 0);
const total = rows.reduce((sum, r) => sum + r.total, 0);
const totalPct = total === 0 ? 0 : (covered / total) * 100;

const header = ["package", "lines covered", "lines %", "status"];
const body = rows.map((r) => [
  r.label,
  r.pct === undefined ? "—" : `${r.covered}/${r.total}`,
  r.pct === undefined ? "—" : r.pct.toFixed(2),
  r.note,
]);
body.push([
  "TOTAL (sum covered ÷ sum lines)",
  `${covered}/${total}`,
  totalPct.toFixed(2),
  totalPct < threshold ? `BELOW ${threshold}%` : "ok",
]);
const widths = header.map((h, i) =>
  Math.max(h.length, ...body.map((row) => String(row[i]).length)),
);
const line = (cells) =>
  `| ${cells.map((c, i) => (i === 0 || i === 3 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of body) console.log(line(row));

if (totalPct < threshold && total > 0)
  problems.push(`repo-wide: ${totalPct.toFixed(2)}% of lines covered, below ${threshold}%`);
if (problems.length > 0) {
  console.error(`\ncoverage-report: ${problems.length} problem(s):`);
  for (const p of problems) console.error(`- ${p}`);
  process.exit(1);
}
console.log(`\nEvery package ≥ ${threshold}% lines; repo-wide ${totalPct.toFixed(2)}%.`);
