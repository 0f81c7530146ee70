import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { renderReport, type Section } from "../lib/render-report.ts";
import { loadStored, writeStored } from "../lib/stored-results.ts";
import { storedResult } from "./fixtures.ts";

const rootDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function report(
  sections: Section[],
  failed: Array<{ file: string; error: string; seconds: number }> = [],
) {
  return renderReport({
    quick: false,
    commit: "fedcba9876543210fedcba9876543210fedcba98",
    dirty: false,
    date: "2026-12-05T12:00:00.000Z",
    machine: storedResult().machine,
    loadAtStart: 1,
    totalSeconds: 321,
    sections,
    failed,
    refused: new Map(),
  });
}

describe("BENCHMARKS.md rendering", () => {
  const measured = storedResult();
  const reused = storedResult({
    id: "other/reused",
    title: "An older section",
    commit: "abcdef0123456789abcdef0123456789abcdef01",
    date: "2026-11-20T08:30:00.000Z",
    acceptance: [
      { check: "hit rate", target: "≥ 80 %", measured: "71 %", baseline: "LRU 65 %", met: false },
    ],
  });
  const sections: Section[] = [
    { result: measured, measured: true, charts: new Map() },
    { result: reused, measured: false, charts: new Map() },
  ];

  it("states how many sections this run measured and its total time", () => {
    const doc = report(sections);
    expect(doc).toContain("**1 of 2 sections were measured in this run**");
    expect(doc).toContain("Whole run: 321 s");
  });

  it("gives a reused section its own commit and date in its heading line", () => {
    expect(report(sections)).toContain(
      "`other/reused` — **reused** from an earlier run at commit `abcdef0123`, 2026-11-20T08:30:00Z",
    );
  });

  it("lists every acceptance row in the summary with its baseline, verdict and command", () => {
    const doc = report(sections);
    expect(doc).toContain(
      "| cost per call | ≤ 1.10× | 1.05× | raw floor, 1.43 µs | ✓ met | `pnpm bench --only area/sample.bench.ts` |",
    );
    expect(doc).toContain("| hit rate | ≥ 80 % | 71 % | LRU 65 % | **✗ missed** |");
    expect(doc).toContain("1 met, 1 missed or failed");
  });

  it("gives a failed bench a missed summary row and a section with its error", () => {
    const doc = report(sections, [{ file: "cache/old.bench.ts", error: "boom", seconds: 2 }]);
    expect(doc).toContain("| cache/old.bench.ts | bench failed: see below |");
    expect(doc).toContain("## Failed: cache/old.bench.ts");
  });
});

describe("stored results on disk", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loads stored results and skips JSON that is not one, saying why", () => {
    dir = mkdtempSync(join(tmpdir(), "bench-results-"));
    writeStored(dir, storedResult());
    writeFileSync(join(dir, "cache-curves.json"), JSON.stringify({ traces: [] }));
    mkdirSync(join(dir, "quick", "area"), { recursive: true });
    writeFileSync(join(dir, "quick", "area", "sample.json"), JSON.stringify(storedResult()));
    const { results, skipped } = loadStored(dir, rootDir);
    expect(results.map((r) => r.id)).toEqual(["area/sample"]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(
      /cache-curves\.json \(result: does not return a BenchResult|cache-curves\.json \(result\.id/,
    );
  });
});
