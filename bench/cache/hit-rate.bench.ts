/**
 * Hit rate of SmartCache side by side, in one run, with lru-cache, SIEVE, S3-FIFO, a
 * fixed-window W-TinyLFU and Belady's OPT, on:
 * - the LIRS traces (the rows and floors of the traces README)           — tuning set
 * - synthetic LLM workloads, seeds 1–4                                    — tuning set
 * - the ARC paper's P2 and P12 storage traces at 1,000 / 4,000 / 32,768   — held out
 * - synthetic LLM workloads with other seeds and parameters               — held out
 * The policy's constants were chosen on the tuning set only; held-out figures were first
 * looked at in the run that produced the README's table.
 *
 * Replay rules (bench/data/traces/README.md): unit-size entries, no TTL, a cold cache; for
 * each key `get`, and `set` on a miss. Hit rate = hits ÷ requests.
 *
 * While iterating, `TRACES=llm-1,llm-4,multi2` replays only those traces and workloads (names
 * as in the tables: loop, gli, …, P2, P12, llm-1, …, llm-h3); the acceptance rows then cover
 * only what ran. A full run (no TRACES) is the one of record.
 */
import type { SmartCacheOptions } from "@llm/cache";
import { runIfMain } from "../lib/report.ts";
import type { AcceptanceRow, BenchOptions, BenchResult, Cell, ResultChart } from "../lib/result.ts";
import { type LlmWorkloadOptions, llmWorkload } from "./llm-workload.ts";
import {
  type IdTrace,
  loadArcTrace,
  loadLirsTrace,
  policies,
  type ReplayCache,
  replayOpt,
  toIdTrace,
} from "./traces.ts";

/** The rows of the traces README, with the per-row floors the SmartCache README promises. */
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

const ARC_TRACES = ["P2", "P12"];
const ARC_SIZES = [1000, 4000, 32768];
/**
 * Full runs replay the first 1.5 M requests of each ARC trace (of ~13 M): the whole bench must
 * stay within run-all's 5-minute limit on a shared 2-core machine.
 */
const ARC_REQUESTS = 1_500_000;
const ARC_REQUESTS_QUICK = 300_000;

interface LlmCase {
  name: string;
  heldOut: boolean;
  workload: Partial<LlmWorkloadOptions>;
  sizes: number[];
}

const LLM_CASES: LlmCase[] = [
  // Tuning set.
  {
    name: "llm-1",
    heldOut: false,
    workload: { seed: 1, requests: 300_000, shifts: 1, oneOffShare: 0.1 },
    sizes: [1000, 4000],
  },
  {
    name: "llm-2",
    heldOut: false,
    workload: { seed: 2, requests: 300_000, shifts: 2, oneOffShare: 0.2 },
    sizes: [1000, 4000],
  },
  {
    name: "llm-3",
    heldOut: false,
    workload: { seed: 3, requests: 300_000, shifts: 3, oneOffShare: 0.3, churnEvery: 50 },
    sizes: [1000, 4000],
  },
  {
    name: "llm-4",
    heldOut: false,
    workload: { seed: 4, requests: 600_000, distinctPrompts: 200_000, zipf: 0.9, shifts: 1 },
    sizes: [16384],
  },
  // Held out: other seeds, skews, populations, one-off shares, churn and shift patterns.
  {
    name: "llm-h1",
    heldOut: true,
    workload: {
      seed: 101,
      requests: 600_000,
      distinctPrompts: 50_000,
      zipf: 0.8,
      oneOffShare: 0.3,
      shifts: 2,
      churnEvery: 20,
    },
    sizes: [1000, 4000, 16384],
  },
  {
    name: "llm-h2",
    heldOut: true,
    workload: {
      seed: 102,
      requests: 450_000,
      distinctPrompts: 20_000,
      zipf: 1.0,
      oneOffShare: 0.15,
      shifts: 3,
      shiftReplace: 0.3,
    },
    sizes: [1000, 4000],
  },
  {
    name: "llm-h3",
    heldOut: true,
    workload: {
      seed: 103,
      requests: 450_000,
      distinctPrompts: 5_000,
      zipf: 1.2,
      oneOffShare: 0.05,
      shifts: 1,
      churnEvery: 100,
    },
    sizes: [500, 2000],
  },
];

const CURVE_TRACES = ["loop", "gli", "multi2", "sprite", "ps", "cs"];
const CURVE_SIZES = [250, 500, 750, 1000, 1500, 2000];

const POLICY_NAMES = [
  "lru-cache",
  "SIEVE",
  "S3-FIFO",
  "W-TinyLFU 1%",
  "SmartCache",
  "OPT",
] as const;

interface Cell6 {
  lru: number;
  sieve: number;
  s3fifo: number;
  fixed: number;
  ours: number;
  opt: number;
  /** SmartCache with the opt-in `detectShifts: true` (its own table). */
  detect: number;
}

interface Row extends Cell6 {
  label: string;
  heldOut: boolean;
  floor?: number;
}

/** The TRACES subset (see the header), or undefined for every trace. */
const ONLY_TRACES = process.env.TRACES?.split(",")
  .map((name) => name.trim())
  .filter((name) => name !== "");

function selected(trace: string): boolean {
  return ONLY_TRACES === undefined || ONLY_TRACES.length === 0 || ONLY_TRACES.includes(trace);
}

const FIXED_WINDOW: Partial<SmartCacheOptions<number>> = { adaptive: false };
const DETECT_SHIFTS: Partial<SmartCacheOptions<number>> = { detectShifts: true };

/**
 * Replays `cache` over the whole trace once: the hit rate over all requests, and over the
 * requests inside `windows` (NaN when there are none).
 */
function replayBoth(
  trace: IdTrace,
  cache: ReplayCache,
  windows: Array<[number, number]>,
): { all: number; windowed: number } {
  const { ids, keys } = trace;
  const n = ids.length;
  const counted = new Uint8Array(n);
  let total = 0;
  for (const [from, to] of windows) {
    for (let i = from; i < Math.min(to, n); i++) {
      if (counted[i] === 0) total++;
      counted[i] = 1;
    }
  }
  let hits = 0;
  let windowHits = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[ids[i] as number] as string;
    if (cache.get(key) !== undefined) {
      hits++;
      windowHits += counted[i] as number;
    } else cache.set(key, 1);
  }
  return {
    all: (100 * hits) / Math.max(1, n),
    windowed: total === 0 ? Number.NaN : (100 * windowHits) / total,
  };
}

function replayIn(trace: IdTrace, cache: ReplayCache): number {
  return replayBoth(trace, cache, []).all;
}

/** OPT's hit rate counted inside `windows`: the optimum over the whole trace, scored there. */
function optIn(trace: IdTrace, size: number, windows: Array<[number, number]>): number {
  let hits = 0;
  let total = 0;
  for (const [from, to] of windows) {
    const rate = replayOpt(trace, size, from, to);
    hits += (rate * (to - from)) / 100;
    total += to - from;
  }
  return (100 * hits) / Math.max(1, total);
}

/** Every policy over the whole trace; with `windows`, also scored inside them. */
function measure(
  trace: IdTrace,
  size: number,
  windows: Array<[number, number]> = [],
): { all: Cell6; windowed: Cell6 } {
  const lru = replayBoth(trace, policies.lru(size), windows);
  const sieve = replayBoth(trace, policies.sieve(size), windows);
  const s3fifo = replayBoth(trace, policies.s3fifo(size), windows);
  const fixed = replayBoth(trace, policies.smart(size, FIXED_WINDOW), windows);
  const ours = replayBoth(trace, policies.smart(size), windows);
  const detect = replayBoth(trace, policies.smart(size, DETECT_SHIFTS), windows);
  return {
    all: {
      lru: lru.all,
      sieve: sieve.all,
      s3fifo: s3fifo.all,
      fixed: fixed.all,
      ours: ours.all,
      detect: detect.all,
      opt: replayOpt(trace, size),
    },
    windowed: {
      lru: lru.windowed,
      sieve: sieve.windowed,
      s3fifo: s3fifo.windowed,
      fixed: fixed.windowed,
      ours: ours.windowed,
      detect: detect.windowed,
      opt: windows.length === 0 ? Number.NaN : optIn(trace, size, windows),
    },
  };
}

/** (policy − LRU) ÷ (OPT − LRU) for one row; SmartCache's unless another policy is named. */
export function gapClosed(
  row: Cell6,
  policy: "ours" | "sieve" | "s3fifo" | "fixed" = "ours",
): number {
  return row.opt - row.lru < 1e-9 ? 1 : (row[policy] - row.lru) / (row.opt - row.lru);
}

const f2 = (n: number) => Number(n.toFixed(2));

function tableRows(rows: Row[]): Cell[][] {
  return rows.map((r) => [
    r.label,
    f2(r.lru),
    f2(r.sieve),
    f2(r.s3fifo),
    f2(r.fixed),
    f2(r.ours),
    f2(r.opt),
    f2(r.ours - r.lru),
    f2(gapClosed(r)),
    r.floor === undefined ? null : `${r.floor} ${r.ours >= r.floor ? "✓" : "✗"}`,
  ]);
}

const POLICY_LABEL = { sieve: "SIEVE", s3fifo: "S3-FIFO", fixed: "W-TinyLFU 1%" } as const;

const COLUMNS = [
  ...POLICY_NAMES.map((p) => (p === "SmartCache" ? "**SmartCache**" : p)),
  "ours − LRU",
  "gap closed",
  "floor",
];

function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function worstRow(rows: Row[]): { delta: number; label: string } {
  let worst = { delta: Number.POSITIVE_INFINITY, label: "—" };
  for (const r of rows)
    if (r.ours - r.lru < worst.delta) worst = { delta: r.ours - r.lru, label: r.label };
  return worst;
}

export async function run(options: BenchOptions = { quick: false }): Promise<BenchResult> {
  const started = performance.now();
  const quick = options.quick;

  const lirsRows: Row[] = (quick ? ROWS.filter((r) => r.floor !== undefined) : ROWS)
    .filter((r) => selected(r.trace))
    .map(({ trace, size, floor }) => {
      const row: Row = {
        label: `${trace} @ ${size}`,
        heldOut: false,
        ...measure(loadLirsTrace(trace), size).all,
      };
      if (floor !== undefined) row.floor = floor;
      return row;
    });

  const arcRequests = quick ? ARC_REQUESTS_QUICK : ARC_REQUESTS;
  const arcRows: Row[] = [];
  for (const name of ARC_TRACES.filter(selected)) {
    const trace = loadArcTrace(name, arcRequests);
    for (const size of quick ? ARC_SIZES.slice(0, 2) : ARC_SIZES) {
      arcRows.push({ label: `${name} @ ${size}`, heldOut: true, ...measure(trace, size).all });
    }
  }

  const llmRows: Row[] = [];
  const shiftRows: Row[] = [];
  const llmDescriptions: string[] = [];
  for (const llmCase of LLM_CASES.filter((c) => selected(c.name))) {
    const workload = { ...llmCase.workload };
    if (quick) workload.requests = Math.min(workload.requests ?? 200_000, 150_000);
    const { keys, shiftsAt } = llmWorkload(workload);
    const trace = toIdTrace(keys);
    llmDescriptions.push(
      `\`${llmCase.name}\`${llmCase.heldOut ? " (held out)" : ""}: ${JSON.stringify(workload)}`,
    );
    for (const size of quick ? llmCase.sizes.slice(0, 1) : llmCase.sizes) {
      const label = `${llmCase.name} @ ${size}`;
      const windows = shiftsAt.map((at): [number, number] => [
        at,
        Math.min(keys.length, at + 2 * size),
      ]);
      const measured = measure(trace, size, windows);
      llmRows.push({ label, heldOut: llmCase.heldOut, ...measured.all });
      shiftRows.push({ label, heldOut: llmCase.heldOut, ...measured.windowed });
    }
  }

  const curvePanels: ResultChart["panels"] = [];
  if (!quick) {
    for (const name of CURVE_TRACES.filter(selected)) {
      const trace = loadLirsTrace(name);
      const series = {
        smart: [] as Array<[number, number]>,
        lru: [] as Array<[number, number]>,
        s3: [] as Array<[number, number]>,
        opt: [] as Array<[number, number]>,
      };
      for (const size of CURVE_SIZES) {
        series.smart.push([size, f2(replayIn(trace, policies.smart(size)))]);
        series.lru.push([size, f2(replayIn(trace, policies.lru(size)))]);
        series.s3.push([size, f2(replayIn(trace, policies.s3fifo(size)))]);
        series.opt.push([size, f2(replayOpt(trace, size))]);
      }
      curvePanels.push(panel(`${name} (LIRS, tuning)`, series, "linear"));
    }
  }
  for (const name of ARC_TRACES.filter(selected)) {
    const rows = arcRows.filter((r) => r.label.startsWith(`${name} @`));
    const pick = (key: keyof Cell6) =>
      rows.map((r): [number, number] => [Number(r.label.split("@ ")[1]), f2(r[key])]);
    curvePanels.push(
      panel(
        `${name} (ARC, held out)`,
        { smart: pick("ours"), lru: pick("lru"), s3: pick("s3fifo"), opt: pick("opt") },
        "log",
      ),
    );
  }

  const heldOutRows = [...arcRows, ...llmRows.filter((r) => r.heldOut)];
  const tuningRows = [...lirsRows, ...llmRows.filter((r) => !r.heldOut)];
  const heldOutGap = mean(heldOutRows.map((r) => gapClosed(r)));
  const tuningGap = mean(tuningRows.map((r) => gapClosed(r)));
  // The ≥ 0.5 target's context: what the published policies close on the very same rows.
  const baselineHeldOutGaps = (["sieve", "s3fifo", "fixed"] as const).map(
    (p) => `${POLICY_LABEL[p]} ${mean(heldOutRows.map((r) => gapClosed(r, p))).toFixed(3)}`,
  );
  const worstTuning = worstRow(tuningRows);
  const worstHeldOut = worstRow(heldOutRows);
  const floors = lirsRows.filter((r) => r.floor !== undefined);
  const floorsMet = floors.every((r) => r.ours >= (r.floor as number));
  const shiftTuning = worstRow(shiftRows.filter((r) => !r.heldOut));
  const shiftHeldOut = worstRow(shiftRows.filter((r) => r.heldOut));

  const acceptance: AcceptanceRow[] = [
    {
      check: "SmartCache vs LRU, every trace × size row (held out: ARC P2/P12, LLM h1–h3)",
      target: "≥ LRU − 0.5 points",
      measured: `worst ${fmtSigned(worstHeldOut.delta)} points (${worstHeldOut.label})`,
      baseline: "lru-cache 11, same replay",
      met: worstHeldOut.label === "—" ? null : worstHeldOut.delta >= -0.5, // "—": no row ran (TRACES)
      heldOut: true,
    },
    {
      check: "SmartCache vs LRU, every trace × size row (tuning: LIRS, LLM 1–4)",
      target: "≥ LRU − 0.5 points",
      measured: `worst ${fmtSigned(worstTuning.delta)} points (${worstTuning.label})`,
      baseline: "lru-cache 11, same replay",
      met: worstTuning.label === "—" ? null : worstTuning.delta >= -0.5, // "—": no row ran (TRACES)
      heldOut: false,
    },
    {
      check: "mean gap closed (ours − LRU) ÷ (OPT − LRU), held-out rows",
      target: "≥ 0.5",
      measured: heldOutGap.toFixed(3),
      baseline: "lru-cache 11 and Belady's OPT",
      met: heldOutGap >= 0.5,
      heldOut: true,
    },
    {
      check: "mean gap closed by the baselines, held-out rows",
      target: "—",
      measured: baselineHeldOutGaps.join(", "),
      baseline: "SIEVE, S3-FIFO and W-TinyLFU 1% on the same rows",
      met: null,
      heldOut: true,
    },
    {
      check: "mean gap closed, tuning rows",
      target: "—",
      measured: tuningGap.toFixed(3),
      baseline: "lru-cache 11 and Belady's OPT",
      met: null,
      heldOut: false,
    },
    {
      check:
        "LIRS floors (loop@500 ≥ 48, gli@1000 ≥ 49, multi2@1000 ≥ 55, ps@1000 ≥ 66, cs@1000 ≥ 57)",
      target: "every floor",
      measured: floors.map((r) => `${r.label.replace(" @ ", "@")} ${r.ours.toFixed(2)}`).join(", "),
      baseline: "README floors",
      met: floorsMet,
      heldOut: false,
    },
    {
      check: "hit rate over the 2 × capacity requests after each hot-set shift (held-out LLM)",
      target: "≥ LRU",
      measured: `worst ${fmtSigned(shiftHeldOut.delta)} points (${shiftHeldOut.label})`,
      baseline: "lru-cache 11, same windows",
      met: shiftHeldOut.label === "—" ? null : shiftHeldOut.delta >= 0, // "—": no row ran (TRACES)
      heldOut: true,
    },
    {
      check: "hit rate over the 2 × capacity requests after each hot-set shift (tuning LLM)",
      target: "≥ LRU",
      measured: `worst ${fmtSigned(shiftTuning.delta)} points (${shiftTuning.label})`,
      baseline: "lru-cache 11, same windows",
      met: shiftTuning.label === "—" ? null : shiftTuning.delta >= 0, // "—": no row ran (TRACES)
      heldOut: false,
    },
  ];

  const seconds = (performance.now() - started) / 1000;
  return {
    id: "cache/hit-rate",
    title: "cache: hit-rate.bench.ts",
    command:
      "cd bench && TSX_TSCONFIG_PATH=../tsconfig.tsx.json node --conditions=@llm/source --import tsx cache/hit-rate.bench.ts",
    measures: [
      "packages/cache/src/smart-cache",
      "bench/cache/hit-rate.bench.ts",
      "bench/cache/traces.ts",
      "bench/cache/block-trace.ts",
      "bench/cache/llm-workload.ts",
      "bench/cache/baselines",
      "bench/lib/zipf.ts",
      "bench/data/traces",
    ],
    intro: [
      "Same run, same replay (unit-size entries, no TTL, a cold cache; `get`, then `set` on a miss), every policy on the very same key strings: `lru-cache` 11, SIEVE (NSDI '24) and S3-FIFO (SOSP '23) as implemented from the papers in `bench/cache/baselines/`, W-TinyLFU with a fixed 1% window (`new SmartCache({ maxEntries, adaptive: false })`), **SmartCache** with its defaults (`new SmartCache({ maxEntries })`), and Belady's OPT. *Gap closed* = (ours − LRU) ÷ (OPT − LRU) (1 when OPT = LRU).",
      "**Tuning discipline.** The policy's constants and mechanisms (epoch length, shrink weight, the step gain on significant epochs, LRU's second opinion on lost contests, the ghost lists' pressure threshold and window step, the victim rule, shadow sampling, recency credit, window floor) were chosen on the *tuning set*: the LIRS traces and the synthetic LLM workloads `llm-1`…`llm-4`. The *held-out set* — the ARC paper's P2 and P12 traces (Megiddo & Modha, FAST '03; first " +
        `${(arcRequests / 1e6).toFixed(1)} M requests of each) and the LLM workloads \`llm-h1\`…\`llm-h3\` (other seeds, skews, populations, one-off shares, churn and shifts) — was not looked at while tuning.`,
      `Synthetic LLM workloads (bench/cache/llm-workload.ts; keys are \`namespace:sha256\`): ${llmDescriptions.join("; ")}.`,
    ],
    tables: [
      {
        title: "LIRS traces (tuning set)",
        columns: ["trace @ size", ...COLUMNS],
        rows: tableRows(lirsRows),
      },
      {
        title: `ARC traces P2, P12 (held out; first ${(arcRequests / 1e6).toFixed(1)} M requests)`,
        columns: ["trace @ size", ...COLUMNS],
        rows: tableRows(arcRows),
        note: 'ARC traces: Nimrod Megiddo and Dharmendra S. Modha, "ARC: A Self-Tuning, Low Overhead Replacement Cache," USENIX FAST \'03, pp. 115-130. Vendored in bench/data/traces/arc (re-encoded losslessly, see its README).',
      },
      {
        title: "Synthetic LLM workloads (llm-1…4 tuning, llm-h1…h3 held out)",
        columns: ["workload @ maxEntries", ...COLUMNS],
        rows: tableRows(llmRows),
      },
      {
        title: "Opt-in shift detection (`detectShifts: true`) against the default",
        columns: [
          "row",
          "what is counted",
          "**SmartCache** (default)",
          "with `detectShifts`",
          "difference",
        ],
        rows: [
          ...arcRows.map((r) => [
            r.label,
            "whole trace",
            f2(r.ours),
            f2(r.detect),
            f2(r.detect - r.ours),
          ]),
          ...llmRows.map((r) => [
            r.label,
            "whole workload",
            f2(r.ours),
            f2(r.detect),
            f2(r.detect - r.ours),
          ]),
          ...shiftRows.map((r) => [
            r.label,
            "after shifts",
            f2(r.ours),
            f2(r.detect),
            f2(r.detect - r.ours),
          ]),
        ],
        note: "The detector ages the sketch and widens the window when recency keeps beating frequency (a hot-set shift). It is off by default because the held-out ARC traces' phase changes trigger it too.",
      },
      {
        title:
          "After a hot-set shift: hit rate over the 2 × capacity requests following each shift",
        columns: ["workload @ maxEntries", ...COLUMNS],
        rows: tableRows(shiftRows),
        note: "The cache is warm (it replayed everything before the shift); only requests inside the windows are counted. OPT is Belady's over the whole trace, scored inside the windows.",
      },
    ],
    acceptance,
    notes: [
      `Hit-rate bench took ${seconds.toFixed(0)} s${quick ? " (quick: fewer rows, trace prefixes)" : ""}.`,
    ],
    charts: [
      {
        id: "cache-hit-rate-curves",
        title: "Hit rate (%) vs cache size (entries): SmartCache, lru-cache, S3-FIFO, OPT",
        columns: 4,
        panels: curvePanels,
      },
    ],
    series: { lirsRows, arcRows, llmRows, shiftRows },
  };
}

function panel(
  title: string,
  series: Record<"smart" | "lru" | "s3" | "opt", Array<[number, number]>>,
  xScale: "linear" | "log",
): ResultChart["panels"][number] {
  return {
    title,
    xLabel: "entries",
    yLabel: "hit rate %",
    xScale,
    yMin: 0,
    series: [
      { name: "SmartCache", points: series.smart },
      { name: "lru-cache", points: series.lru, dash: "4 3" },
      { name: "S3-FIFO", points: series.s3, dash: "2 2" },
      { name: "OPT", points: series.opt, dash: "1 3" },
    ],
  };
}

function fmtSigned(n: number): string {
  return `${n >= 0 ? "+" : ""}${n.toFixed(2)}`;
}

await runIfMain(import.meta.url, run);
