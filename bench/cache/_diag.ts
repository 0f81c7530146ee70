import { LRUCache } from "lru-cache";
import { SmartCache } from "@llm/cache";
import { llmWorkload } from "./llm-workload.ts";
const size = Number(process.env.SIZE ?? 1000);
const { keys, shiftsAt } = llmWorkload({ seed: 1, requests: 300_000, shifts: 1, oneOffShare: 0.1 });
const lru = new LRUCache<string, number>({ max: size });
const ours = new SmartCache<number>({ maxEntries: size });
const at = shiftsAt[0] as number; const chunk = size / 4;
let hl = 0, ho = 0; const rows: string[] = [];
for (let i = 0; i < Math.min(keys.length, at + 8 * size); i++) {
  const k = keys[i] as string;
  const a = lru.get(k) !== undefined; if (!a) lru.set(k, 1);
  const b = ours.get(k) !== undefined; if (!b) ours.set(k, 1);
  if (i >= at - 2 * chunk) { hl += +a; ho += +b; if ((i - at + 1) % chunk === 0) { rows.push(`${((i - at + 1) / chunk).toFixed(0).padStart(3)} lru ${(100 * hl / chunk).toFixed(1)} ours ${(100 * ho / chunk).toFixed(1)} win ${(ours.stats().window.fraction * 100).toFixed(1)}%`); hl = 0; ho = 0; } }
}
console.log(rows.join("\n"));
