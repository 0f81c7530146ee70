/**
 * Writes the charts of BENCHMARKS.md into bench/results/ from the JSON the benches leave
 * there: the hit-rate-vs-size curves of the cache bench and the latency CDF of the e2e bench.
 * Each function returns the SVG's path, or undefined (with the reason) when its data is missing.
 *
 * Run: cd bench && node --conditions=@llm/source --import tsx charts/render.ts
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMain, resultsDir } from "../lib/report.ts";
import { chartGrid, lineChart, type Series } from "./svg.ts";

export interface ChartResult {
  file: string;
  written: boolean;
  note: string;
}

interface CurvePoint {
  size: number;
  smartCache: number;
  lru: number;
  opt: number;
}

interface CacheCurves {
  traces: Array<{ trace: string; requests: number; points: CurvePoint[] }>;
}

export function renderCacheCurves(): ChartResult {
  const source = join(resultsDir, "cache-curves.json");
  const file = join(resultsDir, "cache-hit-rate-curves.svg");
  if (!existsSync(source)) {
    return {
      file,
      written: false,
      note: "bench/results/cache-curves.json is missing (run cache/hit-rate.bench.ts)",
    };
  }
  const data = JSON.parse(readFileSync(source, "utf8")) as CacheCurves;
  const panels = data.traces.map((t) => {
    const series = (key: keyof Omit<CurvePoint, "size">, name: string, dash?: string): Series => ({
      name,
      points: t.points.map((p) => [p.size, p[key]] as const),
      ...(dash ? { dash } : {}),
    });
    return {
      title: `${t.trace} (${t.requests.toLocaleString("en-US")} requests)`,
      xLabel: "cache size (entries)",
      yLabel: "hit rate (%)",
      yMin: 0,
      series: [
        { ...series("smartCache", "SmartCache (ours)"), color: "#1f77b4" },
        { ...series("lru", "lru-cache (LRU)"), color: "#d62728" },
        { ...series("opt", "Belady OPT", "6 4"), color: "#555555" },
      ],
    };
  });
  writeFileSync(
    file,
    chartGrid(panels, {
      title: "Hit rate vs cache size — SmartCache, LRU, OPT (LIRS traces)",
      columns: 3,
    }),
  );
  return { file, written: true, note: `${panels.length} traces` };
}

interface LatencyFile {
  latencies: Record<string, Array<number | null>>;
}

const CDF_SERIES: Array<{ key: string; name: string; color: string }> = [
  { key: "naive", name: "naive (fetch, new connection, no cache)", color: "#d62728" },
  { key: "sdk", name: "openai SDK 6.30.1 (no cache)", color: "#ff7f0e" },
  { key: "llmkit", name: "llm-kit (pool + cache + retry)", color: "#1f77b4" },
];

export function renderLatencyCdf(): ChartResult {
  const source = join(resultsDir, "e2e-latency.json");
  const file = join(resultsDir, "e2e-latency-cdf.svg");
  if (!existsSync(source)) {
    return {
      file,
      written: false,
      note: "bench/results/e2e-latency.json is missing (run e2e/e2e.bench.ts)",
    };
  }
  const data = JSON.parse(readFileSync(source, "utf8")) as LatencyFile;
  const series: Series[] = [];
  for (const { key, name, color } of CDF_SERIES) {
    const values = (data.latencies[key] ?? []).filter(
      (v): v is number => typeof v === "number" && v > 0,
    );
    if (values.length === 0) continue;
    values.sort((a, b) => a - b);
    series.push({ name: `${name}, n=${values.length}`, color, points: cdfPoints(values) });
  }
  const lo = Math.min(...series.flatMap((s) => s.points.map(([x]) => x)));
  writeFileSync(
    file,
    lineChart(
      {
        title: "e2e latency CDF (concurrency 16, 300–800 ms upstream)",
        xLabel: "latency per request (ms, log scale)",
        yLabel: "requests completed within (%)",
        xScale: "log",
        xMin: Math.max(0.01, lo),
        yMin: 0,
        yMax: 100,
        series,
      },
      760,
      440,
    ),
  );
  return { file, written: true, note: series.map((s) => s.name).join("; ") };
}

/** The empirical CDF as a step polyline, thinned to at most ~600 points. */
function cdfPoints(sorted: number[]): Array<[number, number]> {
  const n = sorted.length;
  const step = Math.max(1, Math.floor(n / 600));
  const points: Array<[number, number]> = [];
  for (let i = 0; i < n; i += step) {
    points.push([sorted[i] as number, (i / n) * 100]);
    points.push([sorted[i] as number, (Math.min(n, i + step) / n) * 100]);
  }
  points.push([sorted[n - 1] as number, 100]);
  return points;
}

if (isMain(import.meta.url)) {
  for (const result of [renderCacheCurves(), renderLatencyCdf()]) {
    console.log(`${result.written ? "wrote" : "skipped"} ${result.file}: ${result.note}`);
  }
}
