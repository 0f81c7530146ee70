/**
 * Draws the charts a result carries (`BenchResult.charts`, bench/lib/result.ts) as SVG with
 * svg.ts. run-all calls it on the stored JSON only, so a chart always matches its section.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ResultChart } from "../lib/result.ts";
import { chartGrid, lineChart, type PanelOptions } from "./svg.ts";

function panelOptions(panel: ResultChart["panels"][number]): PanelOptions {
  return {
    title: panel.title,
    xLabel: panel.xLabel,
    yLabel: panel.yLabel,
    ...(panel.xScale ? { xScale: panel.xScale } : {}),
    ...(panel.yMin !== undefined ? { yMin: panel.yMin } : {}),
    ...(panel.yMax !== undefined ? { yMax: panel.yMax } : {}),
    series: panel.series.map((s) => ({
      name: s.name,
      points: s.points,
      ...(s.dash ? { dash: s.dash } : {}),
    })),
  };
}

/** The SVG text of one chart: a single panel full size, several panels as a grid. */
export function chartSvg(chart: ResultChart): string {
  const panels = chart.panels.map(panelOptions);
  if (panels.length === 1) {
    const only = panels[0] as PanelOptions;
    return lineChart({ ...only, title: chart.title }, 760, 440);
  }
  return chartGrid(panels, { title: chart.title, columns: Math.max(1, chart.columns) });
}

/** Writes `<dir>/<chart id>.svg` and returns its path. */
export function writeChart(chart: ResultChart, dir: string): string {
  const file = join(dir, `${chart.id}.svg`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, chartSvg(chart));
  return file;
}
