/**
 * End-to-end: a replayed LLM workload through three client configurations against the same
 * @llm/testkit OpenAI mock (in its own process, 300–800 ms before headers, 10 ms between
 * streamed chunks), at concurrency 16:
 *
 *   (a) naive — global fetch, a new connection per request, no cache;
 *   (b) the official openai SDK 6.30.1 with its defaults, no cache;
 *   (c) llm-kit — @llm/provider-openai on @llm/pool, @llm/cache, retry.
 *
 * Time budget: a cache-less call costs one upstream round trip (~0.6 s), so (a) and (b) replay
 * a strided subset of the measured trace (every SUBSET_STRIDE-th request), and (c) replays the
 * whole measured trace; (c)'s figures on the same subset are shown too. Before the measured
 * trace, (c)'s cache is warmed with the trace's first WARMUP requests served at zero latency
 * (steady state, as a long-running service would be; not counted), then the latency goes back
 * to 300–800 ms. The cold figure (warm-up + measured) is reported as well.
 *
 * Run: cd bench && node --conditions=@llm/source --import tsx e2e/e2e.bench.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderLatencyCdf } from "../charts/render.ts";
import { isMain, markdownTable, resultsDir, writeResult } from "../lib/report.ts";
import {
  type Configuration,
  llmKitConfiguration,
  MODEL,
  naiveConfiguration,
  PRICING,
  sdkConfiguration,
} from "./configurations.ts";
import { type LatencySummary, type ReplayResult, replay, summarize } from "./replay.ts";
import { startUpstream } from "./upstream.ts";
import { workload } from "./workload.ts";

const HEADERS_MS = "300-800"; // LATENCY below says the same, for setLatency
const CHUNK_MS = "10";
const CONCURRENCY = 16;
const WARMUP = 20_000;
const MEASURED = 4_000;
const SUBSET_STRIDE = 10;
/** Calls each cache-less configuration makes at zero latency before measuring (JIT, sockets). */
const JIT_WARMUP = 400;
const LATENCY = { headersMs: [300, 800] as [number, number], chunkMs: Number(CHUNK_MS) };
const TRACE = {
  distinct: 2_000,
  zipf: 1,
  oneOffShare: 0.1,
  streamShare: 0.2,
} as const;

interface Row {
  name: string;
  requests: number;
  result: ReplayResult;
  latency: LatencySummary;
  hitRate: string;
  upstreamCalls: number;
  connections: number;
  tokensSaved: string;
  costSaved: string;
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export async function run(): Promise<string> {
  const started = performance.now();
  const trace = workload({
    requests: WARMUP + MEASURED,
    phaseChangeAt: WARMUP + MEASURED / 2,
    ...TRACE,
  });
  const warmup = trace.slice(0, WARMUP);
  const measured = trace.slice(WARMUP);
  const subsetIndex = measured.map((_, i) => i).filter((i) => i % SUBSET_STRIDE === 0);
  const subset = subsetIndex.map((i) => measured[i]!);

  const upstream = await startUpstream(HEADERS_MS, CHUNK_MS);
  const rows: Row[] = [];
  const latencies: Record<string, number[]> = {};
  try {
    // (a) and (b): no cache, every call goes upstream.
    for (const [key, make] of [
      ["naive", naiveConfiguration],
      ["sdk", sdkConfiguration],
    ] as const) {
      const config: Configuration = make(upstream.baseURL);
      // Warm the JIT (and the SDK's sockets) at zero latency, as llm-kit's warm-up does.
      await upstream.setLatency(null);
      await replay(warmup.slice(0, JIT_WARMUP), config, CONCURRENCY);
      await upstream.setLatency(LATENCY);
      const before = await upstream.stats();
      const result = await replay(subset, config, CONCURRENCY);
      const after = await upstream.stats();
      await config.close();
      latencies[key] = Array.from(result.latencies);
      rows.push({
        name: `${config.name} (subset)`,
        requests: subset.length,
        result,
        latency: summarize(result.latencies),
        hitRate: "—",
        upstreamCalls: after.requests - before.requests,
        connections: after.connections - before.connections,
        tokensSaved: "—",
        costSaved: "—",
      });
    }

    // (c): warm at zero latency (not measured), then the measured trace at full latency.
    const kit = llmKitConfiguration(upstream.baseURL);
    await upstream.setLatency(null);
    const warm = await replay(warmup, kit, CONCURRENCY);
    await upstream.setLatency(LATENCY);
    const warmStats = kit.cache.stats();
    const before = await upstream.stats();
    const result = await replay(measured, kit, CONCURRENCY);
    const after = await upstream.stats();
    const stats = kit.cache.stats();
    await kit.close();
    const hits = (s: typeof stats) => Object.values(s.hits).reduce((a, b) => a + b, 0);
    const measuredHits = hits(stats) - hits(warmStats);
    const measuredLookups = stats.lookups - warmStats.lookups;
    const coldHitRate = hits(stats) / stats.lookups;
    latencies.llmkit = Array.from(result.latencies);
    const tokens = stats.tokensSaved.total - warmStats.tokensSaved.total;
    const cost = stats.costSaved - warmStats.costSaved;
    rows.push({
      name: `${kit.name} (whole measured trace)`,
      requests: measured.length,
      result,
      latency: summarize(result.latencies),
      hitRate: pct(measuredHits / measuredLookups),
      upstreamCalls: after.requests - before.requests,
      connections: after.connections - before.connections,
      tokensSaved: tokens.toLocaleString("en-US"),
      costSaved: `$${cost.toFixed(4)}`,
    });
    const kitSubset = subsetIndex.map((i) => result.latencies[i]!);
    latencies.llmkitSubset = kitSubset;
    const kitSubsetLatency = summarize(kitSubset);
    const [naive, sdk, kitRow] = rows as [Row, Row, Row];

    writeFileSync(
      join(resultsDir, "e2e-latency.json"),
      `${JSON.stringify({
        description:
          "Per-request latency (ms, NaN = failed) of the e2e bench; naive and sdk replay the strided subset, llmkit the whole measured trace, llmkitSubset the same subset within it.",
        generatedAt: new Date().toISOString(),
        latencies,
      })}\n`,
    );
    renderLatencyCdf();

    const cpu = (r: Row) => r.result.cpuMicros / r.requests;
    const table = markdownTable(
      [
        "configuration",
        "requests",
        "failed",
        "hit rate",
        "upstream calls",
        "connections opened",
        "mean ms",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "client CPU µs/req",
        "client CPU µs/upstream call",
        "tokens saved",
        "cost saved",
      ],
      rows.map((r) => [
        r.name,
        r.requests,
        r.result.failures,
        r.hitRate,
        r.upstreamCalls,
        r.connections,
        ms(r.latency.mean),
        ms(r.latency.p50),
        ms(r.latency.p95),
        ms(r.latency.p99),
        cpu(r).toFixed(0),
        (r.result.cpuMicros / r.upstreamCalls).toFixed(0),
        r.tokensSaved,
        r.costSaved,
      ]),
    );
    const subsetTable = markdownTable(
      [
        "configuration, same subset of requests",
        "requests",
        "mean ms",
        "p50 ms",
        "p95 ms",
        "p99 ms",
      ],
      [naive, sdk]
        .map((r) => [
          r.name.replace(" (subset)", ""),
          r.requests,
          ms(r.latency.mean),
          ms(r.latency.p50),
          ms(r.latency.p95),
          ms(r.latency.p99),
        ])
        .concat([
          [
            kitRow.name.replace(" (whole measured trace)", ""),
            kitSubsetLatency.count,
            ms(kitSubsetLatency.mean),
            ms(kitSubsetLatency.p50),
            ms(kitSubsetLatency.p95),
            ms(kitSubsetLatency.p99),
          ],
        ]),
    );
    const hitRate = measuredHits / measuredLookups;
    const vsNaive = kitSubsetLatency.mean / naive.latency.mean;
    const vsSdk = kitSubsetLatency.mean / sdk.latency.mean;
    const verdict = (ok: boolean, miss: string) => (ok ? "met" : `**missed** (${miss})`);
    const targets = markdownTable(
      ["check", "measured", "baseline", "ratio", "target", "result"],
      [
        [
          "cache hit rate, measured trace (warm)",
          pct(hitRate),
          "—",
          "—",
          "≥ 80%",
          verdict(hitRate >= 0.8, `${((0.8 - hitRate) * 100).toFixed(1)} points short`),
        ],
        [
          "cache hit rate, cold start (warm-up + measured trace)",
          pct(coldHitRate),
          "—",
          "—",
          "— (reported)",
          "—",
        ],
        [
          "answered without an upstream call, measured trace",
          pct(1 - kitRow.upstreamCalls / kitRow.requests),
          `${kitRow.requests} requests`,
          "—",
          "— (reported)",
          "—",
        ],
        [
          "mean latency llm-kit ÷ naive (same requests)",
          `${ms(kitSubsetLatency.mean)} ms`,
          `${ms(naive.latency.mean)} ms`,
          `${vsNaive.toFixed(2)}×`,
          "≤ 0.70×",
          verdict(vsNaive <= 0.7, `${(vsNaive - 0.7).toFixed(2)} over`),
        ],
        [
          "mean latency llm-kit ÷ openai SDK (same requests)",
          `${ms(kitSubsetLatency.mean)} ms`,
          `${ms(sdk.latency.mean)} ms`,
          `${vsSdk.toFixed(2)}×`,
          "≤ 0.70×",
          verdict(vsSdk <= 0.7, `${(vsSdk - 0.7).toFixed(2)} over`),
        ],
        [
          "client CPU per request llm-kit ÷ naive",
          `${cpu(kitRow).toFixed(0)} µs`,
          `${cpu(naive).toFixed(0)} µs`,
          `${(cpu(kitRow) / cpu(naive)).toFixed(2)}×`,
          "— (reported)",
          "—",
        ],
        [
          "client CPU per request llm-kit ÷ openai SDK",
          `${cpu(kitRow).toFixed(0)} µs`,
          `${cpu(sdk).toFixed(0)} µs`,
          `${(cpu(kitRow) / cpu(sdk)).toFixed(2)}×`,
          "— (reported)",
          "—",
        ],
      ],
    );
    const errors = rows
      .filter((r) => r.result.failures > 0)
      .map((r) => `- ${r.name}: ${r.result.failures} failed, first: ${r.result.firstError}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    const markdown = [
      "## End to end: replayed LLM workload (issue 8)",
      "",
      `Node ${process.version}. Upstream: @llm/testkit OpenAI mock in a child process (its CPU is not counted), ${HEADERS_MS} ms before headers, ${CHUNK_MS} ms between streamed chunks (answers of 8–32 words, streamed word by word). Concurrency ${CONCURRENCY}. Workload: Zipf(s = ${TRACE.zipf}) over ${TRACE.distinct.toLocaleString("en-US")} distinct prompts, ${TRACE.oneOffShare * 100}% one-off prompts, ${TRACE.streamShare * 100}% streamed, temperature 0, a phase change half-way through the measured trace (half the prompts replaced, popularity reshuffled).`,
      "",
      `- **Measured trace**: ${MEASURED.toLocaleString("en-US")} requests. llm-kit replays all of it; naive and the SDK, which have no cache so every call costs one upstream round trip, replay every ${SUBSET_STRIDE}th request of it (${subset.length} requests) to keep the bench near a minute. The latency ratios compare the SAME ${subset.length} requests in each configuration.`,
      `- **Warm-up**: naive and the SDK first make ${JIT_WARMUP} calls at zero latency (JIT and sockets warm, not counted). Before the measured trace, llm-kit's cache is warmed with the preceding ${WARMUP.toLocaleString("en-US")} requests of the same trace served at zero latency (${(warm.wallMs / 1000).toFixed(1)} s, ${warm.failures} failed; not counted in any figure), so the hit rate is that of a running service, not of a cold start. Cold hit rate over warm-up + measured trace: ${pct(coldHitRate)}.`,
      `- Naive = Node's global \`fetch\` with \`Connection: close\` (one TCP connection per request: see the connections column, from the server's counter). SDK = \`new OpenAI({ baseURL, apiKey })\` with its defaults. llm-kit = \`createOpenAI({ baseURL, apiKey, transport: new ConnectionPool() })\` composed with \`cacheMiddleware({ cache: new TieredCache({ l1: new SmartCache({ maxEntries: 10_000, maxBytes: 64 MB, ttlMs: 1 h }) }) })\` (@llm/config's L1 defaults, SmartCache's default W-TinyLFU policy, no L2) and \`retryMiddleware()\`.`,
      `- Latency = call start to the complete answer (a stream read to its end). Client CPU = \`process.cpuUsage()\` delta of the bench process over the replay ÷ requests. Upstream calls and connections opened = the mock server's counters over the measured replay (sockets opened during a warm-up and kept alive are not counted again: llm-kit's pool and the SDK's keep-alive agent opened theirs then). CPU per upstream call charges ALL the client's CPU (hits included) to the calls that went upstream. CPU figures are higher than bench/pool's because these are full testkit OpenAI answers, 20% streamed in 8–32 chunks 10 ms apart, on connections that live ~0.6 s per call; compare configurations within this table. Cost saved at ${MODEL} list price ($${PRICING[MODEL]?.inputPerMillion}/M input, $${PRICING[MODEL]?.outputPerMillion}/M output tokens).`,
      "- Shared 2-core machine, other work running: wall-clock latencies are noisy; CPU per request and the same-run ratios are the steadier figures.",
      "",
      table,
      "",
      subsetTable,
      "",
      "### Targets (issue 8)",
      "",
      targets,
      ...(errors.length > 0 ? ["", "Failures:", ...errors] : []),
      "",
      `Latency CDF: [e2e-latency-cdf.svg](bench/results/e2e-latency-cdf.svg). Bench took ${seconds} s.`,
    ].join("\n");
    writeResult("e2e", markdown);
    return markdown;
  } finally {
    await upstream.close();
  }
}

if (isMain(import.meta.url)) {
  run().then(
    (markdown) => console.log(markdown),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
