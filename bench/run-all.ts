/**
 * `pnpm bench`: runs every area's bench, each in its own child process, in a fixed order
 * (pool, cache, memory, hooks, core, e2e, then any other), and assembles the root
 * BENCHMARKS.md: the machine, a summary of the acceptance figures picked out of each
 * section (lib/summary.ts), every section with the command that reproduces it, and the
 * charts. A bench that fails gets its error in its section; the others still run, and the
 * process exits non-zero at the end.
 *
 * A bench is any `bench/<area>/*.ts` that exports `run()`. `--only <area>[,<area>]` runs a
 * subset (areas or `area/file.ts` paths) and reuses the last markdown of the others from
 * bench/results/.last/
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { renderCacheCurves, renderLatencyCdf } from "./charts/render.ts";
import { markdownTable, resultsDir } from "./lib/report.ts";
import { extractSummary, type SummaryRow } from "./lib/summary.ts";

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = join(benchDir, "..");
const lastDir = join(resultsDir, ".last");
const NODE_FLAGS = ["--conditions=@llm/source", "--import", "tsx"];
const AREA_ORDER = ["pool", "cache", "memory", "hooks", "core", "e2e"];
/** Inside an area: hit rate before speed before key, as issue 4 lists them. */
const FILE_ORDER = ["hit-rate", "speed", "key"];
const SKIP_DIRS = new Set(["lib", "charts", "results", "node_modules"]);
/** A bench that runs longer than this is stopped and reported as failed. */
const TIMEOUT_MS = 240_000;

interface Bench {
  area: string;
  file: string;
  /** Relative to bench/. */
  path: string;
}

interface Outcome {
  bench: Bench;
  ok: boolean;
  markdown: string;
  seconds: number;
  reused: boolean;
}

function discover(): Bench[] {
  const benches: Bench[] = [];
  for (const area of readdirSync(benchDir, { withFileTypes: true })) {
    if (!area.isDirectory() || SKIP_DIRS.has(area.name) || area.name.startsWith(".")) continue;
    for (const file of readdirSync(join(benchDir, area.name))) {
      if (!file.endsWith(".ts") || file.endsWith(".test.ts") || file.endsWith(".d.ts")) continue;
      const source = readFileSync(join(benchDir, area.name, file), "utf8");
      if (!/export\s+(async\s+)?function\s+run\s*\(/.test(source)) continue;
      benches.push({ area: area.name, file, path: `${area.name}/${file}` });
    }
  }
  const areaRank = (a: string) => {
    const i = AREA_ORDER.indexOf(a);
    return i === -1 ? AREA_ORDER.length : i;
  };
  const fileRank = (f: string) => {
    const i = FILE_ORDER.findIndex((p) => f.startsWith(p));
    return i === -1 ? FILE_ORDER.length : i;
  };
  return benches.sort(
    (a, b) =>
      areaRank(a.area) - areaRank(b.area) ||
      a.area.localeCompare(b.area) ||
      fileRank(a.file) - fileRank(b.file) ||
      a.file.localeCompare(b.file),
  );
}

async function runOne(bench: Bench): Promise<Outcome> {
  const out = join(lastDir, `${bench.path.replace(/[/.]/g, "_")}.run.json`);
  rmSync(out, { force: true });
  const started = performance.now();
  process.stderr.write(`\n▶ ${bench.path}\n`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, "lib/run-one.ts", bench.path, out], {
      cwd: benchDir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  let result: { ok: boolean; markdown?: string; error?: string } = {
    ok: false,
    error:
      code === null
        ? `killed after ${TIMEOUT_MS / 1000} s`
        : `exited with code ${code} and no result`,
  };
  if (existsSync(out)) {
    result = JSON.parse(readFileSync(out, "utf8"));
    rmSync(out);
  }
  const ok = result.ok && code === 0;
  const markdown = ok
    ? (result.markdown ?? "")
    : `**This bench failed** (${seconds.toFixed(0)} s):\n\n\`\`\`\n${(result.error ?? "").slice(0, 3000)}\n\`\`\``;
  process.stderr.write(`${ok ? "✓" : "✗"} ${bench.path} (${seconds.toFixed(0)} s)\n`);
  writeFileSync(join(lastDir, `${bench.path.replace(/[/.]/g, "_")}.md`), markdown);
  return { bench, ok, markdown, seconds, reused: false };
}

function machine(): string[] {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: rootDir,
      encoding: "utf8",
    }).trim();
  } catch {
    // not a git checkout: leave "unknown"
  }
  return [
    `- CPU: ${model}, ${cpus().length} cores visible to Node`,
    `- Memory: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- Node ${process.version} (${process.platform} ${process.arch})`,
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}, tree at commit ${commit} plus uncommitted changes`,
  ];
}

function summaryTable(outcomes: Outcome[]): {
  table: string;
  met: number;
  missed: number;
  other: number;
} {
  const none = (area: string, check: string, met: boolean | undefined): SummaryRow => ({
    area,
    check,
    target: "—",
    measured: "—",
    baseline: "—",
    ratio: "—",
    met,
  });
  const groups = outcomes.map((o) => {
    const label = `${o.bench.area} (${o.bench.file.replace(/\.ts$/, "").replace(/\.bench$/, "")})`;
    if (!o.ok)
      return { area: o.bench.area, rows: [none(label, "bench failed: see its section", false)] };
    return { area: o.bench.area, rows: extractSummary(label, o.markdown) };
  });
  // A bench may reprint another's table (cache hit-rate embeds the speed table of an EARLIER
  // run): keep each check once per area, from the LAST bench that printed it — the one that
  // measured it in this run, since benches of an area run in order.
  const last = new Map<string, SummaryRow>();
  for (const g of groups) for (const r of g.rows) last.set(`${g.area}|${r.check}`, r);
  const rows: SummaryRow[] = [];
  outcomes.forEach((o, i) => {
    const g = groups[i] as { area: string; rows: SummaryRow[] };
    const kept = g.rows.filter((r) => last.get(`${g.area}|${r.check}`) === r);
    const label = `${o.bench.area} (${o.bench.file.replace(/\.ts$/, "").replace(/\.bench$/, "")})`;
    rows.push(
      ...(kept.length > 0
        ? kept
        : [none(label, "no target of its own: figures in its section", undefined)]),
    );
  });
  const verdict = (m: boolean | undefined) =>
    m === true ? "✓ met" : m === false ? "**✗ missed**" : "—";
  return {
    table: markdownTable(
      ["area (bench)", "check", "target", "measured", "baseline", "ratio", "met?"],
      rows.map((r) => [r.area, r.check, r.target, r.measured, r.baseline, r.ratio, verdict(r.met)]),
    ),
    met: rows.filter((r) => r.met === true).length,
    missed: rows.filter((r) => r.met === false).length,
    other: rows.filter((r) => r.met === undefined).length,
  };
}

/** Sections print "##"/"###" headings; nest them under the section's own "##". */
function demote(markdown: string): string {
  return markdown.replace(
    /^(#{1,5}) /gm,
    (_, hashes: string) => `${hashes.length < 3 ? "###" : `${hashes}#`} `,
  );
}

async function main(): Promise<number> {
  const started = performance.now();
  mkdirSync(lastDir, { recursive: true });
  const onlyArg = process.argv.indexOf("--only");
  const only = onlyArg === -1 ? undefined : new Set((process.argv[onlyArg + 1] ?? "").split(","));
  const loadStart = loadavg()[0] ?? 0;
  const outcomes: Outcome[] = [];
  for (const bench of discover()) {
    const last = join(lastDir, `${bench.path.replace(/[/.]/g, "_")}.md`);
    if (only && !only.has(bench.area) && !only.has(bench.path) && existsSync(last)) {
      const markdown = readFileSync(last, "utf8");
      outcomes.push({
        bench,
        ok: !markdown.startsWith("**This bench failed**"),
        markdown,
        seconds: 0,
        reused: true,
      });
      continue;
    }
    outcomes.push(await runOne(bench));
  }
  const charts = [renderCacheCurves(), renderLatencyCdf()];
  const loadEnd = loadavg()[0] ?? 0;
  const totalSeconds = (performance.now() - started) / 1000;
  const summary = summaryTable(outcomes);
  const reusedCount = outcomes.filter((o) => o.reused).length;

  const sections = outcomes.map((o) => {
    // As this run did it: `pnpm bench` sets TSX_TSCONFIG_PATH (tsx's tsconfig for the sources).
    const tsconfig = process.env.TSX_TSCONFIG_PATH;
    const env = tsconfig ? `TSX_TSCONFIG_PATH=${tsconfig} ` : "";
    const command = `cd bench && ${env}node ${NODE_FLAGS.join(" ")} ${o.bench.path}`;
    return [
      `## ${o.bench.area}: ${o.bench.file}`,
      "",
      `Reproduce: \`${command}\`${o.reused ? " (this section reused from an earlier `pnpm bench`)" : ` — took ${o.seconds.toFixed(0)} s here`}.`,
      "",
      demote(o.markdown.trim()),
    ].join("\n");
  });
  const chartLines = charts.map((c) => {
    const rel = relative(rootDir, c.file);
    return c.written ? `- [${rel}](${rel}) — ${c.note}` : `- ${rel}: not drawn — ${c.note}`;
  });
  const doc = [
    "# llm-kit benchmarks",
    "",
    "Generated by `pnpm bench` (bench/run-all.ts); every figure below comes from the run that wrote this file, each side by side with its baseline in the same process. Do not edit by hand: rerun it.",
    "",
    "## Machine",
    "",
    ...machine(),
    `- Load average (1 min): ${loadStart.toFixed(1)} at the start, ${loadEnd.toFixed(1)} at the end. **A shared 2-core machine**: other engineers' tests and builds ran at the same time, so wall-clock figures (latency, req/s) are noisy; CPU per operation and same-run ratios are the steadier figures.`,
    `- Whole run: ${totalSeconds.toFixed(0)} s; each bench ran in its own Node process (bench/lib/run-one.ts).${reusedCount > 0 ? ` ${reusedCount} of ${outcomes.length} sections were reused from an earlier run (\`--only\`): their figures come from that run, whose machine state this header does not describe.` : ""}`,
    "",
    "## Summary of the acceptance figures",
    "",
    `Picked out of the sections below by bench/lib/summary.ts: ${summary.met} met, ${summary.missed} missed, ${summary.other} without a target of their own. A missed row's section says by how much and why.`,
    "",
    summary.table,
    "",
    "## Charts",
    "",
    ...chartLines,
    "",
    ...charts
      .filter((c) => c.written)
      .map((c) => `![${relative(resultsDir, c.file)}](${relative(rootDir, c.file)})`),
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n");
  writeFileSync(join(rootDir, "BENCHMARKS.md"), doc);
  const failed = outcomes.filter((o) => !o.ok);
  process.stderr.write(
    `\nBENCHMARKS.md written (${totalSeconds.toFixed(0)} s): ${outcomes.length} benches, ${failed.length} failed${failed.length ? `: ${failed.map((o) => o.bench.path).join(", ")}` : ""}; summary ${summary.met} met, ${summary.missed} missed.\n`,
  );
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
