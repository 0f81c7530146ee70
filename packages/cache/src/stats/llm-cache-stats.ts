import type { Usage } from "@llm/core";
import { type FlightStats, FlightStatsRecorder } from "../coordinator/flight-stats.js";
import { Ewma } from "./ewma.js";
import { costOf, type PricingTable } from "./pricing.js";

/** What the cache middleware did and saved. Counters only grow. */
export interface LLMCacheStats {
  /** Requests the policy let through to the cache. */
  lookups: number;
  /** Hits, by level (`l1`, `l2`). */
  hits: Record<string, number>;
  misses: number;
  /** Requests that joined an identical in-flight upstream call instead of making their own. */
  coalesced: number;
  /** Requests the policy declared not cacheable (they go straight upstream). */
  bypassed: number;
  /** Responses written to the cache. */
  stored: number;
  /** Responses not stored: not successful, aborted or failed streams. */
  notStored: number;
  /** Entries read back that did not decode (wrong version, damaged): served as misses. */
  corrupt: number;
  /** Upstream calls made by the middleware (misses that were not coalesced). */
  upstreamCalls: number;
  /** Hit rate over lookups, 0..1. */
  hitRate: number;
  /** Upstream latency (EWMA, ms), per model. */
  upstreamLatencyMs: Record<string, number>;
  /** Sum over hits and coalesced calls of the model's upstream latency EWMA at that time. */
  latencySavedMs: number;
  /** Input + output tokens the hits and coalesced calls did not pay for. */
  tokensSaved: { input: number; output: number; total: number };
  /** From the `pricing` table; 0 for models without a price. */
  costSaved: number;
  /** Cross-process single-flight (with a `coordinator`): how each coordinated miss ended. */
  flights: FlightStats;
}

/** Mutable counters behind `LLMCacheStats`. */
export class LLMCacheStatsRecorder {
  lookups = 0;
  readonly hits: Record<string, number> = {};
  misses = 0;
  coalesced = 0;
  bypassed = 0;
  stored = 0;
  notStored = 0;
  corrupt = 0;
  upstreamCalls = 0;
  latencySavedMs = 0;
  readonly tokensSaved = { input: 0, output: 0, total: 0 };
  costSaved = 0;
  readonly flights = new FlightStatsRecorder();
  readonly #latency = new Map<string, Ewma>();

  constructor(private readonly pricing?: PricingTable) {}

  hit(level: string, model: string, usage: Usage): void {
    this.hits[level] = (this.hits[level] ?? 0) + 1;
    this.saved(model, usage);
  }

  joined(model: string, usage: Usage): void {
    this.coalesced++;
    this.saved(model, usage);
  }

  upstream(model: string, latencyMs: number): void {
    let ewma = this.#latency.get(model);
    if (ewma === undefined) {
      ewma = new Ewma();
      this.#latency.set(model, ewma);
    }
    ewma.add(latencyMs);
  }

  private saved(model: string, usage: Usage): void {
    this.latencySavedMs += this.#latency.get(model)?.value ?? 0;
    this.tokensSaved.input += usage.inputTokens;
    this.tokensSaved.output += usage.outputTokens;
    this.tokensSaved.total += usage.inputTokens + usage.outputTokens;
    this.costSaved += costOf(usage, model, this.pricing);
  }

  snapshot(): LLMCacheStats {
    const hitCount = Object.values(this.hits).reduce((a, b) => a + b, 0);
    const upstreamLatencyMs: Record<string, number> = {};
    for (const [model, ewma] of this.#latency) upstreamLatencyMs[model] = ewma.value ?? 0;
    return {
      lookups: this.lookups,
      hits: { ...this.hits },
      misses: this.misses,
      coalesced: this.coalesced,
      bypassed: this.bypassed,
      stored: this.stored,
      notStored: this.notStored,
      corrupt: this.corrupt,
      upstreamCalls: this.upstreamCalls,
      hitRate: this.lookups === 0 ? 0 : hitCount / this.lookups,
      upstreamLatencyMs,
      latencySavedMs: this.latencySavedMs,
      tokensSaved: { ...this.tokensSaved },
      costSaved: this.costSaved,
      flights: this.flights.snapshot(),
    };
  }
}
