/**
 * End-to-end: a replayed LLM workload through five client configurations against the same
 * @llm/testkit OpenAI mock (in its own process, 300–800 ms before headers, 10 ms between
 * streamed chunks), at concurrency 16:
 *
 *   naive, Connection: close — global fetch, a new connection per request, no cache;
 *   naive, keep-alive        — global fetch with its default keep-alive agent, no cache;
 *   openai SDK 6.30.1        — defaults, no cache;
 *   llm-kit, cache off       — @llm/provider-openai on @llm/pool, retry;
 *   llm-kit                  — the same plus @llm/cache.
 *
 * Two separate questions, two separate figures:
 *   - the library's own cost: llm-kit cache off vs keep-alive naive vs the SDK (no cache
 *     anywhere, same requests);
 *   - the cache's effect: llm-kit vs llm-kit cache off (same requests).
 *
 * Time budget: a cache-less call costs one upstream round trip (~0.6 s), so every
 * configuration is compared on a strided subset of the measured trace (every STRIDE-th
 * request); llm-kit with its cache replays the whole measured trace (its hits depend on
 * what came before) and its latencies on the subset are picked out of that replay. Before
 * the measured trace, llm-kit's cache is warmed with the trace's preceding requests served
 * at zero latency (a long-running service's steady state); the cold hit rate is reported too.
 *
 * Run: cd bench && node --conditions=@llm/source --import tsx e2e/e2e.bench.ts [--quick]
 */
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { AcceptanceRow, BenchOptions, BenchResult, ResultChart } from "../lib/result.ts";
import {
  type Configuration,
  llmKitConfiguration,
  MODEL,
  naiveConfiguration,
  PRICING,
  sdkConfiguration,
} from "./configurations.ts";
import { type LatencySummary, type ReplayResult, replay, summarize } from "./replay.ts";
import { startUpstream, type Upstream } from "./upstream.ts";
import { type TraceEntry, workload } from "./workload.ts";

const SIZES = {
  full: { warmup: 20_000, measured: 4_000, jitWarmup: 400, headersMs: [300, 800], chunkMs: 10 },
  quick: { warmup: 1_000, measured: 400, jitWarmup: 40, headersMs: [20, 50], chunkMs: 1 },
} as const;
const CONCURRENCY = 16;
const STRIDE = 10;
const TARGETS = { hitRate: 0.8, meanVsNaive: 0.7 };
const TRACE = {
  distinct: 2_000,
  zipf: 1,
  oneOffShare: 0.1,
  streamShare: 0.2,
} as const;

type Key = "naiveClose" | "naiveKeepAlive" | "sdk" | "kitNoCache" | "kit";
const LABELS: Record<Key, string> = {
  naiveClose: "naive, Connection: close (global fetch, new connection per request)",
  naiveKeepAlive: "naive, keep-alive (global fetch, default agent)",
  sdk: "openai SDK 6.30.1, defaults",
  kitNoCache: "llm-kit, cache off (provider-openai + pool + retry)",
  kit: "llm-kit (provider-openai + pool + cache + retry)",
};

interface Measured {
  result: ReplayResult;
  /** Latencies of the subset, in subset order. */
  subset: number[];
  requests: number;
  upstreamCalls: number;
  connections: number;
}

const ms = (v: number) => (Number.isNaN(v) ? "—" : v < 10 ? v.toFixed(2) : v.toFixed(0));
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** The empirical CDF as a step line, thinned to about 300 points so the JSON stays small. */
function cdf(latencies: number[]): Array<[number, number]> {
  const sorted = latencies.filter((v) => !Number.isNaN(v) && v > 0).sort((a, b) => a - b);
  const n = sorted.length;
  const step = Math.max(1, Math.floor(n / 300));
  const points: Array<[number, number]> = [];
  for (let i = 0; i < n; i += step) {
    const x = Number((sorted[i] as number).toPrecision(4));
    points.push([x, Number(((i / n) * 100).toFixed(2))]);
    points.push([x, Number(((Math.min(n, i + step) / n) * 100).toFixed(2))]);
  }
  if (n > 0) points.push([Number((sorted[n - 1] as number).toPrecision(4)), 100]);
  return points;
}

/** One cache-less configuration: JIT warm-up at zero latency, then the subset at full latency. */
async function measureUncached(
  upstream: Upstream,
  config: Configuration,
  jitWarmup: readonly TraceEntry[],
  subset: readonly TraceEntry[],
  latency: { headersMs: [number, number]; chunkMs: number },
): Promise<Measured> {
  await upstream.setLatency(null);
  await replay(jitWarmup, config, CONCURRENCY);
  await upstream.setLatency(latency);
  const before = await upstream.stats();
  const result = await replay(subset, config, CONCURRENCY);
  const after = await upstream.stats();
  await config.close();
  return {
    result,
    subset: Array.from(result.latencies),
    requests: subset.length,
    upstreamCalls: after.requests - before.requests,
    connections: after.connections - before.connections,
  };
}

export async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const size = quick ? SIZES.quick : SIZES.full;
  const latency = { headersMs: [...size.headersMs] as [number, number], chunkMs: size.chunkMs };
  const trace = workload({
    requests: size.warmup + size.measured,
    phaseChangeAt: size.warmup + size.measured / 2,
    ...TRACE,
  });
  const warmup = trace.slice(0, size.warmup);
  const measured = trace.slice(size.warmup);
  const subsetIndex = measured.map((_, i) => i).filter((i) => i % STRIDE === 0);
  const subset = subsetIndex.map((i) => measured[i] as TraceEntry);
  const jitWarmup = warmup.slice(0, size.jitWarmup);

  const upstream = await startUpstream(size.headersMs.join("-"), String(size.chunkMs));
  const m = {} as Record<Key, Measured>;
  let kitExtra: {
    hitRate: number;
    coldHitRate: number;
    tokensSaved: number;
    costSaved: number;
    warmSeconds: number;
    warmFailures: number;
  };
  try {
    m.naiveClose = await measureUncached(
      upstream,
      naiveConfiguration(upstream.baseURL, { keepAlive: false }),
      jitWarmup,
      subset,
      latency,
    );
    m.naiveKeepAlive = await measureUncached(
      upstream,
      naiveConfiguration(upstream.baseURL, { keepAlive: true }),
      jitWarmup,
      subset,
      latency,
    );
    m.sdk = await measureUncached(
      upstream,
      sdkConfiguration(upstream.baseURL),
      jitWarmup,
      subset,
      latency,
    );
    m.kitNoCache = await measureUncached(
      upstream,
      llmKitConfiguration(upstream.baseURL, { cache: false }),
      jitWarmup,
      subset,
      latency,
    );

    // llm-kit with its cache: warm on the preceding trace at zero latency (not measured),
    // then the whole measured trace at full latency.
    const kit = llmKitConfiguration(upstream.baseURL, { cache: true });
    const cache = kit.cache;
    if (cache === undefined) throw new Error("llm-kit configuration built without its cache");
    await upstream.setLatency(null);
    const warm = await replay(warmup, kit, CONCURRENCY);
    await upstream.setLatency(latency);
    const warmStats = cache.stats();
    const before = await upstream.stats();
    const result = await replay(measured, kit, CONCURRENCY);
    const after = await upstream.stats();
    const stats = cache.stats();
    await kit.close();
    const hits = (s: typeof stats) => Object.values(s.hits).reduce((a, b) => a + b, 0);
    m.kit = {
      result,
      subset: subsetIndex.map((i) => result.latencies[i] as number),
      requests: measured.length,
      upstreamCalls: after.requests - before.requests,
      connections: after.connections - before.connections,
    };
    kitExtra = {
      hitRate: (hits(stats) - hits(warmStats)) / (stats.lookups - warmStats.lookups),
      coldHitRate: hits(stats) / stats.lookups,
      tokensSaved: stats.tokensSaved.total - warmStats.tokensSaved.total,
      costSaved: stats.costSaved - warmStats.costSaved,
      warmSeconds: warm.wallMs / 1000,
      warmFailures: warm.failures,
    };
  } finally {
    await upstream.close();
  }

  const keys: Key[] = ["naiveClose", "naiveKeepAlive", "sdk", "kitNoCache", "kit"];
  const lat = Object.fromEntries(keys.map((k) => [k, summarize(m[k].subset)])) as Record<
    Key,
    LatencySummary
  >;
  const cpu = (k: Key) => m[k].result.cpuMicros / m[k].requests;
  const failed = (k: Key) => m[k].subset.filter((v) => Number.isNaN(v)).length;
  const kit = m.kit;
  const n = subset.length;
  const sameRequests = `the same ${n} requests`;

  const acceptance: AcceptanceRow[] = [
    {
      check: "cache hit rate on the realistic workload (measured trace, cache warmed first)",
      target: `≥ ${TARGETS.hitRate * 100} %`,
      measured: pct(kitExtra.hitRate),
      baseline: `none (absolute); cold start over warm-up + measured trace: ${pct(kitExtra.coldHitRate)}`,
      met: kitExtra.hitRate >= TARGETS.hitRate,
    },
    {
      check: "mean response time, llm-kit",
      target: `≤ ${TARGETS.meanVsNaive}× naive`,
      measured: `${ms(lat.kit.mean)} ms (${ratio(lat.kit.mean, lat.naiveKeepAlive.mean)})`,
      baseline: `naive keep-alive fetch, no cache, ${sameRequests}: ${ms(lat.naiveKeepAlive.mean)} ms`,
      met: lat.kit.mean <= TARGETS.meanVsNaive * lat.naiveKeepAlive.mean,
    },
    {
      check: "mean response time, llm-kit, vs naive with a new connection per request",
      target: "reported",
      measured: ratio(lat.kit.mean, lat.naiveClose.mean),
      baseline: `naive fetch with Connection: close, ${sameRequests}: ${ms(lat.naiveClose.mean)} ms`,
      met: null,
    },
    {
      check: "cache's effect: mean response time, llm-kit ÷ llm-kit cache off",
      target: "reported",
      measured: `${ms(lat.kit.mean)} ms (${ratio(lat.kit.mean, lat.kitNoCache.mean)})`,
      baseline: `llm-kit cache off, ${sameRequests}: ${ms(lat.kitNoCache.mean)} ms`,
      met: null,
    },
    {
      check: "library overhead: mean response time, llm-kit cache off",
      target: "reported",
      measured: `${ms(lat.kitNoCache.mean)} ms (${ratio(lat.kitNoCache.mean, lat.naiveKeepAlive.mean)})`,
      baseline: `naive keep-alive fetch, ${sameRequests}: ${ms(lat.naiveKeepAlive.mean)} ms; SDK ${ms(lat.sdk.mean)} ms`,
      met: null,
    },
    {
      check: "library overhead: client CPU per request, llm-kit cache off",
      target: "reported",
      measured: `${cpu("kitNoCache").toFixed(0)} µs (${ratio(cpu("kitNoCache"), cpu("naiveKeepAlive"))})`,
      baseline: `naive keep-alive fetch ${cpu("naiveKeepAlive").toFixed(0)} µs; openai SDK ${cpu("sdk").toFixed(0)} µs (${ratio(cpu("kitNoCache"), cpu("sdk"))})`,
      met: null,
    },
  ];

  const chart: ResultChart = {
    id: "e2e-latency-cdf",
    title: `e2e latency CDF, ${sameRequests} in each configuration (c = ${CONCURRENCY}, ${size.headersMs.join("–")} ms upstream)`,
    columns: 1,
    panels: [
      {
        title: "e2e latency CDF",
        xLabel: "latency per request (ms, log scale)",
        yLabel: "requests completed within (%)",
        xScale: "log",
        yMin: 0,
        yMax: 100,
        series: keys.map((k) => ({
          name: `${LABELS[k]}, n = ${lat[k].count}`,
          points: cdf(m[k].subset),
          ...(k === "naiveClose" ? { dash: "6 3" } : {}),
        })),
      },
    ],
  };

  const seconds = (performance.now() - started) / 1000;
  return {
    id: "e2e/replay",
    title: "End to end: replayed LLM workload",
    command: rerunCommand("e2e/e2e.bench.ts"),
    measures: [
      "packages/core/src",
      "packages/cache/src",
      "packages/pool/src",
      "packages/provider-openai/src",
      "packages/testkit/src",
      "bench/e2e",
    ],
    intro: [
      `Node ${process.version}. Upstream: @llm/testkit OpenAI mock in a child process (its CPU is not counted), ${size.headersMs.join("–")} ms before headers, ${size.chunkMs} ms between streamed chunks (answers of 8–32 words, streamed word by word). Concurrency ${CONCURRENCY}. Workload: Zipf(s = ${TRACE.zipf}) over ${TRACE.distinct.toLocaleString("en-US")} distinct prompts, ${TRACE.oneOffShare * 100} % one-off prompts, ${TRACE.streamShare * 100} % streamed, temperature 0, a phase change half-way through the measured trace (half the prompts replaced, popularity reshuffled).`,
      `**Two separate figures.** The library's own cost: *llm-kit, cache off* against *naive keep-alive* and the *openai SDK* — no cache anywhere, ${sameRequests}. The cache's effect: *llm-kit* against *llm-kit, cache off*, ${sameRequests}. The acceptance target "mean ≤ ${TARGETS.meanVsNaive}× naive" is judged against the keep-alive naive client; the Connection: close client (one TCP handshake per request) is reported, because beating it measures the handshake as much as the library.`,
      `**Warm-up, honestly.** Every cache-less configuration first makes ${size.jitWarmup} calls at zero latency (JIT and sockets warm, not counted). llm-kit's cache is warmed with the ${size.warmup.toLocaleString("en-US")} requests of the trace that precede the measured part, served at zero latency (${kitExtra.warmSeconds.toFixed(1)} s, ${kitExtra.warmFailures} failed; not counted): its figures are those of a long-running service, not of a cold start. Its latency ratio therefore mostly measures the hit rate of this workload; over warm-up + measured trace the hit rate is ${pct(kitExtra.coldHitRate)}, against ${pct(kitExtra.hitRate)} once warm.`,
      `The measured trace has ${size.measured.toLocaleString("en-US")} requests. A cache-less call costs one upstream round trip, so the cache-less configurations replay every ${STRIDE}th of them (${n} requests); llm-kit with its cache replays all of them (whether a request hits depends on the ones before) and its latencies on those same ${n} requests are picked out of that replay.`,
    ],
    tables: [
      {
        title: `All configurations on ${sameRequests}`,
        columns: [
          "configuration",
          "requests",
          "failed",
          "upstream calls",
          "connections opened",
          "mean ms",
          "p50 ms",
          "p95 ms",
          "p99 ms",
          "client CPU µs/req",
        ],
        rows: keys.map((k) => [
          LABELS[k],
          lat[k].count + failed(k),
          failed(k),
          k === "kit" ? "— (see below)" : m[k].upstreamCalls,
          k === "kit" ? "— (see below)" : m[k].connections,
          ms(lat[k].mean),
          ms(lat[k].p50),
          ms(lat[k].p95),
          ms(lat[k].p99),
          k === "kit" ? `${cpu(k).toFixed(0)} (whole trace)` : cpu(k).toFixed(0),
        ]),
        note: "Latency = call start to the complete answer (a stream read to its end). Client CPU = `process.cpuUsage()` delta of the bench process over the replay ÷ requests (for llm-kit with its cache, over the whole measured trace, hits included). Upstream calls and connections opened = the mock server's counters over the measured replay; sockets a client opened during its warm-up and kept alive are not counted again.",
      },
      {
        title: "llm-kit with its cache, whole measured trace",
        columns: [
          "requests",
          "failed",
          "hit rate (warm)",
          "hit rate (cold start)",
          "upstream calls",
          "connections opened",
          "mean ms",
          "p50 ms",
          "p99 ms",
          "tokens saved",
          "cost saved",
        ],
        rows: [
          [
            kit.requests,
            kit.result.failures,
            pct(kitExtra.hitRate),
            pct(kitExtra.coldHitRate),
            kit.upstreamCalls,
            kit.connections,
            ms(summarize(kit.result.latencies).mean),
            ms(summarize(kit.result.latencies).p50),
            ms(summarize(kit.result.latencies).p99),
            kitExtra.tokensSaved.toLocaleString("en-US"),
            `$${kitExtra.costSaved.toFixed(4)}`,
          ],
        ],
        note: `llm-kit = \`createOpenAI({ baseURL, apiKey, transport: new ConnectionPool() })\` composed with \`cacheMiddleware({ cache: new TieredCache({ l1: new SmartCache({ maxEntries: 10_000, maxBytes: 64 MB, ttlMs: 1 h }) }) })\` (@llm/config's L1 defaults, no L2) and \`retryMiddleware()\`; cache off = the same without \`cacheMiddleware\`. Cost saved at ${MODEL} list price ($${PRICING[MODEL]?.inputPerMillion}/M input, $${PRICING[MODEL]?.outputPerMillion}/M output tokens).`,
      },
    ],
    acceptance,
    notes: [
      ...keys
        .filter((k) => m[k].result.failures > 0)
        .map(
          (k) => `- ${LABELS[k]}: ${m[k].result.failures} failed, first: ${m[k].result.firstError}`,
        ),
      "Shared machine: wall-clock latencies move with other processes' load; same-run ratios and CPU per request are the steadier figures. The CDF chart's left step on the llm-kit curve is its cache hits.",
      `Bench took ${seconds.toFixed(0)} s.`,
    ],
    charts: [chart],
  };
}

await runIfMain(import.meta.url, run);
