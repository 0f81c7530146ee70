/**
 * Hit rate of SmartCache on the LIRS traces of ../shared/traces (every row of its README's
 * table), side by side in one run with plain `lru-cache` and Belady's optimum; then a
 * synthetic LLM workload. Writes `bench/results/cache.md` and the hit-rate curves as JSON to
 * `bench/results/cache-curves.json` (speed is speed.bench.ts, in results/cache-speed.md).
 *
 * Replay rules (the traces README): unit-size entries, no TTL, a cold cache; for each key
 * `get`, and `set` on a miss. Hit rate = hits ÷ requests.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fmt } from "../lib/measure.ts";
import { isMain, markdownTable, resultsDir, writeResult } from "../lib/report.ts";
import { DEFAULT_LLM_WORKLOAD, llmWorkload } from "./llm-workload.ts";
import { loadTrace, replayLru, replayOpt, replaySmart } from "./traces.ts";

/** The rows of the traces README, with the per-row floors where it sets one. */
export const ROWS: Array<{ trace: string; size: number; floor?: number }> = [
  { trace: "loop", size: 500, floor: 48 },
  { trace: "loop", size: 1000 },
  { trace: "gli", size: 500 },
  { trace: "gli", size: 1000, floor: 49 },
  { trace: "multi2", size: 500 },
  { trace: "multi2", size: 1000, floor: 55 },
  { trace: "sprite", size: 500 },
  { trace: "sprite", size: 1000 },
  { trace: "ps", size: 500 },
  { trace: "ps", size: 1000, floor: 66 },
  { trace: "cs", size: 1000, floor: 57 },
  { trace: "2_pools", size: 1000 },
];

const CURVE_TRACES = ["loop", "gli", "multi2", "sprite", "ps", "cs"];
const CURVE_SIZES = [250, 500, 750, 1000, 1500, 2000];
const LLM_SIZES = [1000, 2000, 3000, 4000, 5000];
/** The configuration the README documents for the LLM workload. */
export const LLM_DOCUMENTED_SIZE = 4000;

interface RowResult {
  trace: string;
  size: number;
  lru: number;
  ours: number;
  fixedWindow: number;
  climber: number;
  opt: number;
  floor?: number;
}

export function measureRows(): RowResult[] {
  return ROWS.map(({ trace, size, floor }) => {
    const keys = loadTrace(trace);
    const row: RowResult = {
      trace,
      size,
      lru: replayLru(keys, size),
      ours: replaySmart(keys, size),
      fixedWindow: replaySmart(keys, size, { adaptive: false }),
      climber: replaySmart(keys, size, { adaptation: "hill-climber" }),
      opt: replayOpt(keys, size),
    };
    if (floor !== undefined) row.floor = floor;
    return row;
  });
}

function gapClosed(ours: number, lru: number, opt: number): number {
  return opt - lru < 1e-9 ? 1 : (ours - lru) / (opt - lru);
}

export function curves() {
  const traces = CURVE_TRACES.map((trace) => {
    const keys = loadTrace(trace);
    return {
      trace,
      requests: keys.length,
      points: CURVE_SIZES.map((size) => ({
        size,
        smartCache: round2(replaySmart(keys, size)),
        lru: round2(replayLru(keys, size)),
        opt: round2(replayOpt(keys, size)),
      })),
    };
  });
  return {
    description:
      "Hit rate (%) vs cache size (entries) on LIRS traces: SmartCache (W-TinyLFU, adaptive window), lru-cache, Belady's OPT. Computed by bench/cache/hit-rate.bench.ts.",
    generatedAt: new Date().toISOString(),
    node: process.version,
    traces,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export async function run(): Promise<string> {
  const started = performance.now();
  const rows = measureRows();
  const gaps = rows.map((r) => gapClosed(r.ours, r.lru, r.opt));
  const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const worst = Math.min(...rows.map((r) => r.ours - r.lru));
  const floorsMet = rows.every((r) => r.floor === undefined || r.ours >= r.floor);
  const traceTable = markdownTable(
    [
      "trace @ size",
      "lru-cache",
      "SmartCache",
      "OPT",
      "ours − LRU",
      "gap closed",
      "floor",
      "fixed 1% window",
      "hill climber",
    ],
    rows.map((r, i) => [
      `${r.trace} @ ${r.size}`,
      fmt(r.lru, 2),
      `**${fmt(r.ours, 2)}**`,
      fmt(r.opt, 2),
      fmt(r.ours - r.lru, 2),
      fmt(gaps[i] as number, 2),
      r.floor === undefined ? "—" : `${r.floor} ${r.ours >= r.floor ? "✓" : "✗"}`,
      fmt(r.fixedWindow, 2),
      fmt(r.climber, 2),
    ]),
  );

  const llmKeys = llmWorkload();
  const llmRows = LLM_SIZES.map((size) => {
    const ours = replaySmart(llmKeys, size);
    const lru = replayLru(llmKeys, size);
    return { size, ours, lru, opt: replayOpt(llmKeys, size) };
  });
  const documented = llmRows.find((r) => r.size === LLM_DOCUMENTED_SIZE);
  const llmTable = markdownTable(
    ["maxEntries", "lru-cache", "SmartCache", "OPT", "ours − LRU"],
    llmRows.map((r) => [
      r.size === LLM_DOCUMENTED_SIZE ? `**${r.size}** (documented)` : String(r.size),
      fmt(r.lru, 2),
      `**${fmt(r.ours, 2)}**`,
      fmt(r.opt, 2),
      fmt(r.ours - r.lru, 2),
    ]),
  );

  const curveData = curves();
  writeFileSync(join(resultsDir, "cache-curves.json"), `${JSON.stringify(curveData, null, 2)}\n`);

  const w = DEFAULT_LLM_WORKLOAD;
  const hitRateMarkdown = [
    "### SmartCache hit rate (%) — LIRS traces",
    "",
    "Same run, same replay (unit-size entries, no TTL, cold; `get`, then `set` on a miss): plain `lru-cache` 11, SmartCache with its defaults (W-TinyLFU, window adapted against a shadow LRU), Belady's OPT. *Gap closed* = (ours − LRU) ÷ (OPT − LRU). The last two columns are SmartCache variants for reference: a fixed 1% window (`adaptive: false`, the README's W-TinyLFU) and Caffeine's sampled hill climber (`adaptation: \"hill-climber\"`).",
    "",
    traceTable,
    "",
    `Mean gap closed: **${fmt(meanGap, 3)}** (target ≥ 0.6). Worst row vs LRU: **${fmt(worst, 2)}** points (target ≥ −1). Per-row floors: ${floorsMet ? "all met" : "NOT all met"}.`,
    "",
    "### SmartCache hit rate (%) — synthetic LLM workload",
    "",
    `${w.requests.toLocaleString("en")} requests: prompts drawn Zipf(s = ${w.zipf}) over ${w.distinctPrompts.toLocaleString("en")} distinct prompts, ${w.oneOffShare * 100}% one-off prompts that never repeat, and a phase change half-way (half the prompts replaced, popularity reshuffled). The documented configuration is \`new SmartCache({ maxEntries: ${LLM_DOCUMENTED_SIZE} })\`; it reaches ${documented ? fmt(documented.ours, 2) : "?"}% vs LRU's ${documented ? fmt(documented.lru, 2) : "?"}% at the same size.`,
    "",
    llmTable,
    "",
    `Hit-rate curves (SmartCache / LRU / OPT vs size, ${CURVE_TRACES.join(", ")}) are in \`bench/results/cache-curves.json\`. Hit-rate part took ${fmt((performance.now() - started) / 1000, 1)} s.`,
  ].join("\n");
  return hitRateMarkdown;
}

if (isMain(import.meta.url)) {
  const markdown = await run();
  console.log(markdown);
  writeResult("cache", markdown);
}
