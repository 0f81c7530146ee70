/**
 * `pnpm bench [--quick] [--only <area|area/file.ts>[,…]]`
 *
 * Runs every bench file (`bench/<area>/*.ts` exporting `run()`), each in its own child
 * process (lib/run-one.ts), stores each returned `BenchResult` as `bench/results/<id>.json`
 * (a `StoredResult`: commit, date, duration, machine), then renders BENCHMARKS.md and the
 * charts from those JSON files only.
 *
 * - `--quick`: every bench at a small size; results, charts and the report go to
 *   `bench/results/quick/` (gitignored), never over the real results. It proves the benches
 *   run and return valid results; its figures mean nothing.
 * - `--only`: runs the named benches and reuses the stored results of the others — unless a
 *   file a result `measures` (or its bench file) changed since the commit that measured it,
 *   or it was measured with uncommitted changes: then the bench is rerun, and the header says
 *   why. A bench with no stored result is run too.
 *
 * A bench that fails (throws, times out, or returns something that is not a `BenchResult`)
 * gets a failed section; the others still run, and the process exits non-zero.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { writeChart } from "./charts/render.ts";
import { changedSince, hasLocalChanges, headCommit } from "./lib/git-state.ts";
import { type FailedBench, renderReport, type Section } from "./lib/render-report.ts";
import type { BenchResult, StoredResult } from "./lib/result.ts";
import {
  loadStored,
  machine,
  removeStored,
  resultsFolder,
  toStored,
  writeStored,
} from "./lib/stored-results.ts";

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = join(benchDir, "..");
/** --expose-gc: benches collect garbage between measured slices (pool, memory). */
const NODE_FLAGS = ["--expose-gc", "--conditions=@llm/source", "--import", "tsx"];
const AREA_ORDER = ["pool", "cache", "memory", "hooks", "core", "ratelimit", "e2e", "soak"];
/** Inside an area: hit rate before speed before key, as issue 4 lists them. */
const FILE_ORDER = ["hit-rate", "speed", "hit-path", "key"];
const SKIP_DIRS = new Set(["lib", "charts", "results", "node_modules", "data", "test"]);
/** A bench that runs longer than this is stopped and reported as failed. */
const TIMEOUT_MS = { full: 300_000, quick: 60_000 };

interface Bench {
  area: string;
  /** Relative to bench/, e.g. "pool/pool.bench.ts". */
  path: string;
}

function discover(): Bench[] {
  const benches: Bench[] = [];
  for (const area of readdirSync(benchDir, { withFileTypes: true })) {
    if (!area.isDirectory() || SKIP_DIRS.has(area.name) || area.name.startsWith(".")) continue;
    for (const file of readdirSync(join(benchDir, area.name))) {
      if (!file.endsWith(".ts") || file.endsWith(".test.ts") || file.endsWith(".d.ts")) continue;
      const source = readFileSync(join(benchDir, area.name, file), "utf8");
      if (!/export\s+(async\s+)?function\s+run\s*\(/.test(source)) continue;
      benches.push({ area: area.name, path: `${area.name}/${file}` });
    }
  }
  const rank = (list: string[], value: string) => {
    const i = list.findIndex((p) => value.startsWith(p));
    return i === -1 ? list.length : i;
  };
  return benches.sort(
    (a, b) =>
      rank(AREA_ORDER, a.area) - rank(AREA_ORDER, b.area) ||
      a.area.localeCompare(b.area) ||
      rank(FILE_ORDER, a.path.slice(a.area.length + 1)) -
        rank(FILE_ORDER, b.path.slice(b.area.length + 1)) ||
      a.path.localeCompare(b.path),
  );
}

type RunOutcome =
  | { ok: true; results: BenchResult[]; seconds: number }
  | { ok: false; error: string; seconds: number };

async function runBench(bench: Bench, quick: boolean): Promise<RunOutcome> {
  const out = join(tmpdir(), `llm-bench-${process.pid}-${bench.path.replace(/[/.]/g, "_")}.json`);
  rmSync(out, { force: true });
  const timeout = quick ? TIMEOUT_MS.quick : TIMEOUT_MS.full;
  const started = performance.now();
  process.stderr.write(`\n▶ ${bench.path}${quick ? " (quick)" : ""}\n`);
  const code = await new Promise<number | null>((resolve) => {
    const args = [...NODE_FLAGS, "lib/run-one.ts", bench.path, out, ...(quick ? ["--quick"] : [])];
    const child = spawn(process.execPath, args, {
      cwd: benchDir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  let outcome: RunOutcome = {
    ok: false,
    seconds,
    error:
      code === null ? `killed after ${timeout / 1000} s` : `exited with code ${code} and no result`,
  };
  if (existsSync(out)) {
    const reply = JSON.parse(readFileSync(out, "utf8")) as
      | { ok: true; results: BenchResult[] }
      | { ok: false; error: string };
    rmSync(out);
    outcome = reply.ok
      ? { ok: true, results: reply.results, seconds }
      : { ok: false, error: reply.error, seconds };
  }
  process.stderr.write(`${outcome.ok ? "✓" : "✗"} ${bench.path} (${seconds.toFixed(0)} s)\n`);
  return outcome;
}

/** Why a stored result may not be reused, or undefined when it may. */
function refusal(stored: StoredResult, bench: Bench): string | undefined {
  const paths = [...new Set([...stored.measures, `bench/${bench.path}`])];
  if (stored.measuredDirty) return `${stored.id} was measured with uncommitted changes`;
  if (changedSince(rootDir, stored.commit, paths))
    return `a file ${stored.id} measures changed since ${stored.commit.slice(0, 10)} (${paths.join(", ")})`;
  return undefined;
}

function parseArgs(argv: string[]): { quick: boolean; only: Set<string> | undefined } {
  const quick = argv.includes("--quick");
  const i = argv.indexOf("--only");
  if (i === -1) return { quick, only: undefined };
  const value = argv[i + 1];
  if (value === undefined || value.startsWith("--"))
    throw new Error("--only needs a comma-separated list of areas or area/file.ts paths");
  return { quick, only: new Set(value.split(",").map((s) => s.trim().replace(/^bench\//, ""))) };
}

async function main(): Promise<number> {
  const started = performance.now();
  const { quick, only } = parseArgs(process.argv.slice(2));
  const dir = resultsFolder(benchDir, quick);
  mkdirSync(dir, { recursive: true });
  const loadAtStart = loadavg()[0] ?? 0;
  const commit = headCommit(rootDir);
  // The tree as measured, read before this run writes its own results (which would make any
  // run look dirty): the code and the data the benches read, not the results folder.
  const dirtyAtStart = hasLocalChanges(rootDir, [
    "bench",
    "packages",
    "apps",
    ":(exclude)bench/results",
  ]);
  const benches = discover();
  if (only) {
    const known = new Set(benches.flatMap((b) => [b.area, b.path]));
    const unknown = [...only].filter((o) => !known.has(o));
    if (unknown.length > 0) throw new Error(`--only: no bench area or file ${unknown.join(", ")}`);
  }

  const before = loadStored(dir, rootDir);
  const failed: FailedBench[] = [];
  const refused = new Map<string, string>();
  const measuredIds = new Set<string>();
  for (const bench of benches) {
    const prior = before.results.filter((r) => r.file === bench.path);
    const selected = !only || only.has(bench.area) || only.has(bench.path);
    if (!selected && prior.length > 0) {
      const why = prior.map((r) => refusal(r, bench)).find((w) => w !== undefined);
      if (why === undefined) continue; // reused as stored
      refused.set(bench.path, why);
    }
    // Rerun: the earlier figures of this file go, whether or not the rerun succeeds.
    for (const r of prior) removeStored(dir, r.id);
    const outcome = await runBench(bench, quick);
    if (!outcome.ok) {
      // Paths relative to the repository: the report is read on other machines.
      const error = outcome.error.split(`${rootDir}/`).join("");
      failed.push({ file: bench.path, error, seconds: outcome.seconds });
      continue;
    }
    const ids = outcome.results.map((r) => r.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i || measuredIds.has(id));
    if (duplicate !== undefined) {
      failed.push({
        file: bench.path,
        error: `result id ${duplicate} is returned twice`,
        seconds: outcome.seconds,
      });
      continue;
    }
    const perResultMs = (outcome.seconds * 1000) / outcome.results.length;
    for (const result of outcome.results) {
      measuredIds.add(result.id);
      const paths = [...new Set([...result.measures, `bench/${bench.path}`])];
      writeStored(
        dir,
        toStored(result, {
          commit,
          date: new Date().toISOString(),
          durationMs: Math.round(perResultMs),
          quick,
          file: bench.path,
          measuredDirty: hasLocalChanges(rootDir, paths),
          machine: machine(),
        }),
      );
    }
  }

  // Render from the JSON on disk only.
  const after = loadStored(dir, rootDir);
  for (const s of after.skipped) process.stderr.write(`skipped ${s}\n`);
  const order = new Map(benches.map((b, i) => [b.path, i]));
  const stored = after.results
    .filter((r) => r.file !== undefined && order.has(r.file))
    .sort((a, b) => (order.get(a.file ?? "") ?? 0) - (order.get(b.file ?? "") ?? 0));
  const docPath = quick ? join(dir, "BENCHMARKS.md") : join(rootDir, "BENCHMARKS.md");
  const sections: Section[] = stored.map((result) => {
    const charts = new Map<string, string>();
    for (const chart of result.charts ?? []) {
      const file = writeChart(chart, dir);
      charts.set(chart.id, relative(dirname(docPath), file));
    }
    return { result, measured: measuredIds.has(result.id), charts };
  });
  const totalSeconds = (performance.now() - started) / 1000;
  writeFileSync(
    docPath,
    renderReport({
      quick,
      commit,
      dirty: dirtyAtStart,
      date: new Date().toISOString(),
      machine: machine(),
      loadAtStart,
      totalSeconds,
      sections,
      failed,
      refused,
    }),
  );
  const missed = stored.flatMap((r) => r.acceptance).filter((a) => a.met === false).length;
  process.stderr.write(
    `\n${relative(rootDir, docPath)} written in ${totalSeconds.toFixed(0)} s: ${sections.length} sections (${measuredIds.size} measured in this run), ${failed.length} bench file(s) failed${failed.length ? `: ${failed.map((f) => f.file).join(", ")}` : ""}; ${missed} acceptance row(s) missed.\n`,
  );
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
