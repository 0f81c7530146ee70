/**
 * A tiny dependency-free SVG line-chart renderer: axes with "nice" ticks (linear or log10),
 * gridlines, axis labels, a legend, several series per panel, and a grid of panels in one
 * document. Output is plain SVG 1.1 text that browsers, GitHub and rsvg render alike.
 */
export interface Series {
  name: string;
  /** [x, y] pairs; drawn in the order given. */
  points: ReadonlyArray<readonly [number, number]>;
  color?: string;
  /** SVG stroke-dasharray, e.g. "6 3". */
  dash?: string;
}

export interface PanelOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  xScale?: "linear" | "log";
  xMin?: number;
  xMax?: number;
  yMin?: number;
  yMax?: number;
  /** Formats tick labels; default: compact numbers. */
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  /** Legend corner inside the plot; default "bottom-right". */
  legend?: "top-left" | "top-right" | "bottom-left" | "bottom-right";
}

export interface GridOptions {
  title?: string;
  columns: number;
  panelWidth?: number;
  panelHeight?: number;
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/** One chart as a whole SVG document. */
export function lineChart(options: PanelOptions, width = 640, height = 400): string {
  return document(width, height, panel(options, 0, 0, width, height), options.title ?? "chart");
}

/** Several charts side by side, `columns` per row, with an optional overall title. */
export function chartGrid(panels: readonly PanelOptions[], options: GridOptions): string {
  const w = options.panelWidth ?? 420;
  const h = options.panelHeight ?? 300;
  const top = options.title ? 36 : 0;
  const rows = Math.ceil(panels.length / options.columns);
  const width = w * Math.min(options.columns, panels.length);
  const height = top + h * rows;
  const parts = panels.map((p, i) =>
    panel(p, (i % options.columns) * w, top + Math.floor(i / options.columns) * h, w, h),
  );
  if (options.title) {
    parts.unshift(
      `<text x="${width / 2}" y="24" text-anchor="middle" font-size="17" font-weight="bold" ${FONT}>${escapeXml(options.title)}</text>`,
    );
  }
  return document(
    width,
    height,
    parts.join("\n"),
    options.title ?? panels.map((p) => p.title).join(", "),
  );
}

function document(width: number, height: number, body: string, title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    // The title is the chart's accessible name (and what a browser shows on hover).
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    body,
    "</svg>",
    "",
  ].join("\n");
}

function panel(o: PanelOptions, x0: number, y0: number, width: number, height: number): string {
  const margin = { left: 58, right: 26, top: 34, bottom: 46 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const log = o.xScale === "log";
  const all = o.series
    .flatMap((s) => s.points)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log || x > 0));
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xLo = o.xMin ?? (xs.length ? Math.min(...xs) : 0);
  const xHi = o.xMax ?? (xs.length ? Math.max(...xs) : 1);
  const yLo = o.yMin ?? (ys.length ? Math.min(0, ...ys) : 0);
  const yHi = o.yMax ?? (ys.length ? Math.max(...ys) : 1);
  const xTicks = log ? logTicks(xLo, xHi) : niceTicks(xLo, xHi);
  const yTicks = niceTicks(yLo, yHi);
  const xA = log ? Math.log10(xTicks[0] ?? xLo) : (xTicks[0] ?? xLo);
  const xB = log ? Math.log10(xTicks.at(-1) ?? xHi) : (xTicks.at(-1) ?? xHi);
  const yA = yTicks[0] ?? yLo;
  const yB = yTicks.at(-1) ?? yHi;
  const px = (x: number) =>
    x0 + margin.left + (((log ? Math.log10(x) : x) - xA) / (xB - xA || 1)) * plotW;
  const py = (y: number) => y0 + margin.top + plotH - ((y - yA) / (yB - yA || 1)) * plotH;
  const fx = o.xFormat ?? compact;
  const fy = o.yFormat ?? compact;
  const out: string[] = [];
  const left = x0 + margin.left;
  const bottom = y0 + margin.top + plotH;
  out.push(
    `<text x="${x0 + width / 2}" y="${y0 + 20}" text-anchor="middle" font-size="14" font-weight="bold" ${FONT}>${escapeXml(o.title)}</text>`,
  );
  for (const t of yTicks) {
    const y = py(t).toFixed(1);
    out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(
      `<text x="${left - 6}" y="${y}" dy="4" text-anchor="end" font-size="11" ${FONT}>${escapeXml(fy(t))}</text>`,
    );
  }
  for (const t of xTicks) {
    const x = px(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${y0 + margin.top}" x2="${x}" y2="${bottom}" stroke="#e3e3e3"/>`);
    out.push(
      `<text x="${x}" y="${bottom + 16}" text-anchor="middle" font-size="11" ${FONT}>${escapeXml(fx(t))}</text>`,
    );
  }
  out.push(
    `<rect x="${left}" y="${y0 + margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`,
    `<text x="${left + plotW / 2}" y="${bottom + 36}" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(o.xLabel)}</text>`,
    `<text transform="translate(${x0 + 16} ${y0 + margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(o.yLabel)}</text>`,
  );
  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const pts = s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log || x > 0))
      .map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    if (pts.length === 0) return;
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
    out.push(
      `<polyline points="${pts.join(" ")}" fill="none" stroke="${color}" stroke-width="2"${dash} stroke-linejoin="round"/>`,
    );
    if (pts.length <= 12) {
      for (const p of pts) {
        const [cx, cy] = p.split(",");
        out.push(`<circle cx="${cx}" cy="${cy}" r="2.8" fill="${color}"/>`);
      }
    }
  });
  // Legend inside the plot, on a translucent box; bottom-right by default, where rising
  // curves (hit rate vs size, a CDF) leave room.
  const legendW = Math.max(...o.series.map((s) => s.name.length)) * 6.2 + 36;
  const legendH = o.series.length * 16 + 6;
  const corner = o.legend ?? "bottom-right";
  const lx = corner.endsWith("left") ? left + 8 : left + plotW - legendW - 8;
  const ly = corner.startsWith("top") ? y0 + margin.top + 8 : bottom - legendH - 8;
  out.push(
    `<rect x="${lx}" y="${ly}" width="${legendW.toFixed(0)}" height="${legendH}" fill="white" fill-opacity="0.85" stroke="#bbb"/>`,
  );
  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const y = ly + 13 + i * 16;
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
    out.push(
      `<line x1="${lx + 6}" y1="${y - 4}" x2="${lx + 24}" y2="${y - 4}" stroke="${color}" stroke-width="2.5"${dash}/>`,
    );
    out.push(`<text x="${lx + 29}" y="${y}" font-size="11" ${FONT}>${escapeXml(s.name)}</text>`);
  });
  return out.join("\n");
}

/** 4–8 round ticks covering [lo, hi]. */
export function niceTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo, lo + 1];
  const span = hi - lo;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const start = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v < hi + step - 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Powers of ten covering [lo, hi] (lo > 0). */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(Math.max(lo, 1e-12)));
  const b = Math.ceil(Math.log10(Math.max(hi, lo * 10)));
  const ticks: number[] = [];
  for (let e = a; e <= b; e++) ticks.push(10 ** e);
  return ticks;
}

function compact(v: number): string {
  if (v !== 0 && Math.abs(v) < 1) return String(Number(v.toPrecision(3)));
  if (Math.abs(v) >= 10_000) return `${Number((v / 1000).toPrecision(3))}k`;
  return String(Number(v.toPrecision(4)));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
