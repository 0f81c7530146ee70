import { describe, expect, it } from "vitest";
import type { CallRecord } from "../engine/types.js";
import { renderSummary, summarize } from "./summary.js";

const record = (over: Partial<CallRecord>): CallRecord => ({
  node: "n",
  client: "classifier",
  model: "gpt-4o-mini",
  latencyMs: 100,
  origin: "upstream",
  inputTokens: 1_000_000,
  outputTokens: 0,
  streamed: false,
  ...over,
});

describe("summarize", () => {
  it("computes hit rate per level, latency percentiles, tokens, cost and reuse", () => {
    const s = summarize({
      records: [
        record({ latencyMs: 400 }),
        record({ origin: "cache:l1", latencyMs: 1 }),
        record({ origin: "cache:l2", latencyMs: 3 }),
        record({ error: "boom", latencyMs: 9 }),
      ],
      tickets: 2,
      failedTickets: 1,
      wallMs: 2500,
      models: { classifier: "gpt-4o-mini" },
      cache: {
        hits: { l1: 1, l2: 1 },
        coalesced: 2,
        upstreamCalls: 1,
        tokensSaved: 10,
        latencySavedMs: 5,
        l1Bytes: 2048,
        l1Entries: 3,
      },
      pool: { connectionsOpened: 2, requestsServed: 10 },
      retries: 3,
      fallbacks: 1,
    });
    expect(s).toMatchObject({
      requests: 4,
      failedRequests: 1,
      hitRate: 2 / 3,
      hitsByLevel: { l1: 1, l2: 1 },
      upstreamCalls: 1,
      coalesced: 2,
      tokens: { used: 1_000_000, saved: 2_000_000 },
      connections: { opened: 2, requests: 10, reuseRatio: 0.8 },
      cacheMemoryBytes: 2048,
    });
    expect(s.costSavedUsd).toBeCloseTo(0.3);
    expect(s.latencyMs.p50).toBe(3);
    expect(s.latencyMs.mean).toBeCloseTo(404 / 3);
    const table = renderSummary(s);
    expect(table).toMatch(/hit rate\s+66\.7% \(l1 1, l2 1\)/);
    expect(table).toMatch(/retries \/ fallbacks\s+3 \/ 1/);
  });

  it("handles a run without cache or calls", () => {
    const s = summarize({
      records: [],
      tickets: 0,
      failedTickets: 0,
      wallMs: 0,
      models: {},
      pool: { connectionsOpened: 0, requestsServed: 0 },
      retries: 0,
      fallbacks: 0,
    });
    expect(s.hitRate).toBe(0);
    expect(s.connections.reuseRatio).toBe(0);
    expect(renderSummary(s)).toMatch(/cache\s+off/);
  });
});
