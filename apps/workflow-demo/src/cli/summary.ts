import type { CallRecord } from "../engine/types.js";

/** Dollars per million tokens, for the "cost saved" line (list prices; offline runs use the same). */
const PRICES: Record<string, { input: number; output: number }> = {
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "claude-3-5-haiku-latest": { input: 0.8, output: 4 },
  "gemini-2.0-flash": { input: 0.1, output: 0.4 },
  "llama3.2": { input: 0, output: 0 },
};

export interface RunFacts {
  records: CallRecord[];
  tickets: number;
  failedTickets: number;
  wallMs: number;
  models: Record<string, string>;
  cache?: {
    hits: Record<string, number>;
    coalesced: number;
    /** Calls that really went upstream (misses not joined to an identical in-flight call). */
    upstreamCalls: number;
    tokensSaved: number;
    latencySavedMs: number;
    l1Bytes: number;
    l1Entries: number;
  };
  pool: { connectionsOpened: number; requestsServed: number };
  retries: number;
  fallbacks: number;
}

export interface Summary {
  tickets: number;
  failedTickets: number;
  requests: number;
  failedRequests: number;
  wallSeconds: number;
  cacheEnabled: boolean;
  hitRate: number;
  hitsByLevel: Record<string, number>;
  coalesced: number;
  upstreamCalls: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number };
  tokens: { used: number; saved: number };
  costSavedUsd: number;
  connections: { opened: number; requests: number; reuseRatio: number };
  retries: number;
  fallbacks: number;
  cacheMemoryBytes: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export function summarize(facts: RunFacts): Summary {
  const ok = facts.records.filter((r) => r.error === undefined);
  const latencies = ok.map((r) => r.latencyMs).sort((a, b) => a - b);
  const hits = ok.filter((r) => r.origin !== "upstream");
  const hitsByLevel: Record<string, number> = {};
  for (const r of hits) {
    const level = r.origin.slice("cache:".length);
    hitsByLevel[level] = (hitsByLevel[level] ?? 0) + 1;
  }
  let costSaved = 0;
  for (const r of hits) {
    const price = PRICES[facts.models[r.client] ?? ""];
    if (price) costSaved += (r.inputTokens * price.input + r.outputTokens * price.output) / 1e6;
  }
  const { connectionsOpened, requestsServed } = facts.pool;
  return {
    tickets: facts.tickets,
    failedTickets: facts.failedTickets,
    requests: facts.records.length,
    failedRequests: facts.records.length - ok.length,
    wallSeconds: facts.wallMs / 1000,
    cacheEnabled: facts.cache !== undefined,
    hitRate: ok.length === 0 ? 0 : hits.length / ok.length,
    hitsByLevel,
    coalesced: facts.cache?.coalesced ?? 0,
    upstreamCalls: facts.cache?.upstreamCalls ?? ok.length - hits.length,
    latencyMs: {
      mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    },
    tokens: {
      used: ok
        .filter((r) => r.origin === "upstream")
        .reduce((a, r) => a + r.inputTokens + r.outputTokens, 0),
      saved: hits.reduce((a, r) => a + r.inputTokens + r.outputTokens, 0),
    },
    costSavedUsd: costSaved,
    connections: {
      opened: connectionsOpened,
      requests: requestsServed,
      reuseRatio: requestsServed === 0 ? 0 : 1 - connectionsOpened / requestsServed,
    },
    retries: facts.retries,
    fallbacks: facts.fallbacks,
    cacheMemoryBytes: facts.cache?.l1Bytes ?? 0,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

export function renderSummary(s: Summary): string {
  const levels = Object.entries(s.hitsByLevel)
    .map(([level, n]) => `${level} ${n}`)
    .join(", ");
  const rows: Array<[string, string]> = [
    ["tickets", `${s.tickets} (${s.failedTickets} failed)`],
    ["LLM requests", `${s.requests} (${s.failedRequests} failed)`],
    ["wall time", `${s.wallSeconds.toFixed(1)} s`],
    ["cache", s.cacheEnabled ? "on" : "off (--no-cache)"],
    ["hit rate", `${pct(s.hitRate)}${levels ? ` (${levels})` : ""}`],
    ["coalesced calls", String(s.coalesced)],
    ["upstream calls", String(s.upstreamCalls)],
    [
      "latency mean / p50 / p95",
      `${ms(s.latencyMs.mean)} / ${ms(s.latencyMs.p50)} / ${ms(s.latencyMs.p95)}`,
    ],
    ["tokens used / saved", `${s.tokens.used} / ${s.tokens.saved}`],
    ["cost saved", `$${s.costSavedUsd.toFixed(4)}`],
    [
      "connections opened / requests",
      `${s.connections.opened} / ${s.connections.requests} (reuse ${pct(s.connections.reuseRatio)})`,
    ],
    ["retries / fallbacks", `${s.retries} / ${s.fallbacks}`],
    ["memory held by L1 cache", `${(s.cacheMemoryBytes / 1024).toFixed(1)} KiB`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const line = "─".repeat(width + 40);
  return [line, ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), line].join("\n");
}
