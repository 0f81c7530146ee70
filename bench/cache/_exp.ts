// Experiment harness (not committed): tuning split only, SmartCache vs cached LRU/OPT.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { LRUCache } from "lru-cache";
import { SmartCache } from "@llm/cache";
import { llmWorkload } from "./llm-workload.ts";
import { loadLirsTrace, loadArcTrace, replayOpt, toIdTrace, type IdTrace } from "./traces.ts";
import { ROWS } from "./hit-rate.bench.ts";

const HELD = process.argv.includes("--held");
const LLM = HELD ? [
  { name: "llm-h1", w: { seed: 101, requests: 600_000, distinctPrompts: 50_000, zipf: 0.8, oneOffShare: 0.3, shifts: 2, churnEvery: 20 }, sizes: [1000, 4000, 16384] },
  { name: "llm-h2", w: { seed: 102, requests: 450_000, distinctPrompts: 20_000, zipf: 1.0, oneOffShare: 0.15, shifts: 3, shiftReplace: 0.3 }, sizes: [1000, 4000] },
  { name: "llm-h3", w: { seed: 103, requests: 450_000, distinctPrompts: 5_000, zipf: 1.2, oneOffShare: 0.05, shifts: 1, churnEvery: 100 }, sizes: [500, 2000] },
] : [
  { name: "llm-1", w: { seed: 1, requests: 300_000, shifts: 1, oneOffShare: 0.1 }, sizes: [1000, 4000] },
  { name: "llm-2", w: { seed: 2, requests: 300_000, shifts: 2, oneOffShare: 0.2 }, sizes: [1000, 4000] },
  { name: "llm-3", w: { seed: 3, requests: 300_000, shifts: 3, oneOffShare: 0.3, churnEvery: 50 }, sizes: [1000, 4000] },
  { name: "llm-4", w: { seed: 4, requests: 600_000, distinctPrompts: 200_000, zipf: 0.9, shifts: 1 }, sizes: [16384] },
];
type C = { get(k: string): unknown; set(k: string, v: number): unknown };
function rep(t: IdTrace, c: C, windows: Array<[number, number]>) {
  const n = t.ids.length; const counted = new Uint8Array(n); let total = 0;
  for (const [a, b] of windows) for (let i = a; i < Math.min(b, n); i++) { if (!counted[i]) total++; counted[i] = 1; }
  let h = 0, wh = 0;
  for (let i = 0; i < n; i++) { const k = t.keys[t.ids[i] as number] as string; if (c.get(k) !== undefined) { h++; wh += counted[i] as number; } else c.set(k, 1); }
  return { all: (100 * h) / n, win: total ? (100 * wh) / total : NaN };
}
const cacheFile = `/tmp/cp/base${HELD ? "-held" : ""}.json`;
const base: Record<string, { lru: number; opt: number; lruWin: number }> = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, "utf8")) : {};
const opts = process.env.OPTS ? JSON.parse(process.env.OPTS) : {};
const out: Array<{ label: string; d: number; gap: number; win: number; ours: number; floor?: number }> = [];
function one(label: string, t: IdTrace, size: number, windows: Array<[number, number]>, floor?: number) {
  if (!base[label]) { const l = rep(t, new LRUCache<string, number>({ max: size }), windows); base[label] = { lru: l.all, lruWin: l.win, opt: replayOpt(t, size) }; }
  const b = base[label];
  const r = rep(t, new SmartCache<number>({ maxEntries: size, ...opts }), windows);
  const gap = b.opt - b.lru < 1e-9 ? 1 : (r.all - b.lru) / (b.opt - b.lru);
  out.push({ label, d: r.all - b.lru, gap, win: r.win - b.lruWin, ours: r.all, floor });
}
if (!HELD) for (const r of ROWS) one(`${r.trace}@${r.size}`, loadLirsTrace(r.trace), r.size, [], r.floor);
else for (const name of ["P2", "P12"]) { const t = loadArcTrace(name, process.argv.includes("--full") ? 1_500_000 : 500_000); for (const s of [1000, 4000, 32768]) one(`${name}@${s}`, t, s, []); }
for (const c of LLM) { const { keys, shiftsAt } = llmWorkload(c.w); const t = toIdTrace(keys); for (const s of c.sizes) one(`${c.name}@${s}`, t, s, shiftsAt.map((a): [number, number] => [a, Math.min(keys.length, a + 2 * s)])); }
writeFileSync(cacheFile, JSON.stringify(base));
const f = (n: number) => (Number.isNaN(n) ? "   -  " : n.toFixed(2).padStart(6));
for (const o of out) console.log(o.label.padEnd(14), "d", f(o.d), "gap", f(o.gap), "shift", f(o.win), o.floor ? `floor ${o.floor} ${o.ours >= o.floor ? "ok" : "FAIL " + o.ours.toFixed(2)}` : "");
const wins = out.filter((o) => !Number.isNaN(o.win));
console.log(`SUMMARY ${process.env.TAG ?? ""} worstD ${Math.min(...out.map((o) => o.d)).toFixed(2)} meanGap ${(out.reduce((a, o) => a + o.gap, 0) / out.length).toFixed(3)} worstShift ${Math.min(...wins.map((o) => o.win)).toFixed(2)} meanShift ${(wins.reduce((a, o) => a + o.win, 0) / wins.length).toFixed(2)} floors ${out.filter((o) => o.floor).every((o) => o.ours >= (o.floor as number)) ? "ok" : "FAIL"}`);
