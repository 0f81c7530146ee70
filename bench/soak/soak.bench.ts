/**
 * Stability under injected faults (issue 8: "≥ 99.9% of requests succeed"), side by side
 * with a baseline in the same run. The workload is the reliability soak's
 * (tests/reliability/soak.test.ts, whose seeded PRNG, Zipf sampler and concurrency runner
 * are imported from tests/reliability/support/): Zipf(1) over 5,000 prompts plus 10%
 * one-off prompts, 20% streamed, concurrency 32, against @llm/testkit OpenAI mocks (in a
 * child process, 0–2 ms before headers) that inject 5% faults — 429 with a 5 ms
 * retry-after, 500, connection reset, headers that never come, an error mid-stream.
 *
 *   (a) baseline: @llm/provider-openai on a plain ConnectionPool, nothing else — what a
 *       naive integration gets (no retry, no timeout middleware, no fallback, no cache);
 *   (b) llm-kit: the soak's composition — cache → fallback(retry → timeout → openai) over a
 *       primary and a secondary mock, on one ConnectionPool with 300 ms header / idle cuts.
 *
 * Every request is `temperature: 0` (as in the soak), for both configurations: that makes it
 * cacheable and, with retryMiddleware's default `resumeStreams: "deterministic"`, lets llm-kit
 * resume a stream cut after its first text instead of failing it.
 *
 * Each configuration gets fresh mocks with the same seeds, warms up on the trace's first
 * WARMUP requests (not counted), then replays the same MEASURED requests.
 *
 * Run: cd bench && node --conditions=@llm/source --import tsx soak/soak.bench.ts
 */
import { type CachedAnswer, cacheMiddleware, SmartCache } from "@llm/cache";
import {
  type ChatRequest,
  compose,
  fallbackClient,
  isLLMError,
  type LLMClient,
  retryMiddleware,
  timeoutMiddleware,
} from "@llm/core";
import { ConnectionPool } from "@llm/pool";
import { createOpenAI } from "@llm/provider-openai";
import type { FaultKind, MockProviderStats } from "@llm/testkit";
import { seededRandom, zipfSampler } from "../../tests/reliability/support/prng.ts";
import { runConcurrently } from "../../tests/reliability/support/run-concurrently.ts";
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { AcceptanceRow, BenchOptions, BenchResult } from "../lib/result.ts";
import { type FaultyUpstreams, startFaultyUpstreams } from "./upstreams.ts";

const SIZES = {
  full: { measured: Number(process.env.SOAK_BENCH_REQUESTS ?? 20_000), warmup: 5_000 },
  quick: { measured: 1_000, warmup: 250 },
};
const CONCURRENCY = 32;
const PROMPTS = 5_000;
const ONE_OFF_SHARE = 0.1;
const STREAM_SHARE = 0.2;
const POOL_CONNECTIONS = 16;
const FAULT_KINDS: FaultKind[] = [
  "rate-limit",
  "server-error",
  "reset",
  "hang-headers",
  "error-mid-stream",
];
const FAULTS = { rate: 0.05, kinds: FAULT_KINDS, retryAfterMs: 5 };
/**
 * The baseline's pool keeps its defaults except the header wait: the default (600 s) would
 * fail a hung request just the same, but only after stalling the run for ten minutes. A
 * stand-in so the bench ends, not resilience: the hung request still fails.
 */
const BASELINE_HEADERS_TIMEOUT_MS = 500;
const TARGET = 0.999;

interface TraceEntry {
  rank: number;
  streamed: boolean;
}

/** The soak's draw: one seeded stream for prompt, one-off share and streaming. */
function trace(count: number): TraceEntry[] {
  const random = seededRandom(42);
  const nextRank = zipfSampler(PROMPTS, 1, random);
  let oneOff = PROMPTS;
  return Array.from({ length: count }, () => ({
    rank: random() < ONE_OFF_SHARE ? oneOff++ : nextRank(),
    streamed: random() < STREAM_SHARE,
  }));
}

const prompt = (rank: number): ChatRequest => ({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: `soak prompt number ${rank}: say something short` }],
  temperature: 0,
});

/** A stream that failed after text reached the caller, and was not (or could not be) resumed. */
class StreamBrokeAfterContent extends Error {
  constructor(readonly original: unknown) {
    super("stream failed after content");
  }
}

/** As the soak's `ask`: a generate, or a stream read to its finish event. */
async function ask(client: LLMClient, request: ChatRequest, streamed: boolean): Promise<void> {
  if (!streamed) {
    await client.generate(request);
    return;
  }
  let content = false;
  let finished = false;
  try {
    for await (const event of client.stream(request)) {
      if (event.type === "text-delta" && event.delta !== "") content = true;
      if (event.type === "finish") finished = true;
    }
  } catch (error) {
    if (content) throw new StreamBrokeAfterContent(error);
    throw error;
  }
  if (!finished) throw new Error("stream ended without a finish event");
}

interface Configuration {
  name: string;
  client: LLMClient;
  pool: ConnectionPool;
  /** Retries (of which stream resumes) and fallbacks taken, counted by the middleware's callbacks. */
  taken: { retries: number; resumes: number; fallbacks: number };
  hitRate?: () => number;
}

const openai = (baseURL: string, pool: ConnectionPool) =>
  createOpenAI({ apiKey: "sk-bench-soak-not-a-real-key", baseURL, transport: pool });

function baseline(upstreams: FaultyUpstreams): Configuration {
  const pool = new ConnectionPool({
    connections: POOL_CONNECTIONS,
    maxQueue: 10_000,
    headersTimeoutMs: BASELINE_HEADERS_TIMEOUT_MS,
  });
  return {
    name: "(a) baseline: provider-openai on a plain ConnectionPool",
    client: openai(upstreams.primary, pool),
    pool,
    taken: { retries: 0, resumes: 0, fallbacks: 0 },
  };
}

/**
 * The reliability soak's composition (tests/reliability/soak.test.ts, `beforeAll`; it is
 * inline there, not exported): two attempts on the primary so some calls do exhaust them
 * and fall back, three on the secondary; full-jitter backoff from 2 ms; a 300 ms first-token
 * cut and the pool's 300 ms header / idle cuts for hung responses; an L1-only SmartCache
 * smaller than the prompt set, so misses keep going upstream. `cache: false` drops the cache
 * only, to show what the resilience middleware achieves when every request meets the faults.
 */
function llmKit(upstreams: FaultyUpstreams, withCache: boolean): Configuration {
  const pool = new ConnectionPool({
    connections: POOL_CONNECTIONS,
    headersTimeoutMs: 300,
    bodyTimeoutMs: 300,
    maxQueue: 10_000,
  });
  const random = seededRandom(7);
  const taken = { retries: 0, resumes: 0, fallbacks: 0 };
  const resilient = (upstream: LLMClient, maxAttempts: number) =>
    compose(
      upstream,
      retryMiddleware({
        maxAttempts,
        baseDelayMs: 2,
        maxDelayMs: 50,
        random,
        // resumeStreams is left at its default, "deterministic": this workload's requests are
        // temperature 0, so a stream cut after its first text is resumed, not failed.
        onRetry: (info) => {
          taken.retries++;
          if (info.resume) taken.resumes++;
        },
      }),
      timeoutMiddleware({ totalMs: 2_000, firstTokenMs: 300 }),
    );
  const fallback = fallbackClient(
    [
      resilient(openai(upstreams.primary, pool), 2),
      resilient(openai(upstreams.secondary, pool), 3),
    ],
    {
      onFallback: () => {
        taken.fallbacks++;
      },
    },
  );
  if (!withCache) {
    return {
      name: "(c) llm-kit without its cache: fallback(retry → timeout → openai) × 2",
      client: fallback,
      pool,
      taken,
    };
  }
  const cache = cacheMiddleware({ cache: new SmartCache<CachedAnswer>({ maxEntries: 1_000 }) });
  return {
    name: "(b) llm-kit: cache → fallback(retry → timeout → openai) × 2",
    client: compose(fallback, cache),
    pool,
    taken,
    hitRate: () => cache.stats().hitRate,
  };
}

interface Tally {
  ok: number;
  /** Failures other than broken streams, by error class. */
  failed: Record<string, number>;
  /** Streams broken after content, by the class of the error that broke them. */
  broken: Record<string, number>;
  /** Broken streams whose single re-ask succeeded. */
  reaskOk: number;
  /** Failures that are not an LLMError (should be none). */
  untyped: number;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const className = (error: unknown) =>
  error instanceof Error ? error.constructor.name : typeof error;

async function replay(config: Configuration, entries: TraceEntry[]): Promise<Tally> {
  const tally: Tally = { ok: 0, failed: {}, broken: {}, reaskOk: 0, untyped: 0 };
  const fail = (counts: Record<string, number>, error: unknown) => {
    const type = className(error);
    counts[type] = (counts[type] ?? 0) + 1;
    if (!isLLMError(error)) tally.untyped++;
  };
  await runConcurrently(entries.length, CONCURRENCY, async (i) => {
    const { rank, streamed } = entries[i] as TraceEntry;
    const request = prompt(rank);
    try {
      await ask(config.client, request, streamed);
      tally.ok++;
    } catch (error) {
      if (!(error instanceof StreamBrokeAfterContent)) return fail(tally.failed, error);
      fail(tally.broken, error.original);
      // What the soak's driver (and a chat UI) does: the text shown cannot be taken back,
      // so the caller asks again, once. Counted apart from the headline figure.
      try {
        await ask(config.client, request, streamed);
        tally.reaskOk++;
      } catch {
        // stays a failure in both figures
      }
    }
  });
  return tally;
}

interface Measured {
  config: Configuration;
  tally: Tally;
  retries: number;
  resumes: number;
  fallbacks: number;
  cpuMicros: number;
  wallMs: number;
  upstream: { primary: MockProviderStats; secondary: MockProviderStats };
  hitRate: number | undefined;
}

async function measure(
  make: (upstreams: FaultyUpstreams) => Configuration,
  warmup: TraceEntry[],
  measured: TraceEntry[],
): Promise<Measured> {
  const upstreams = await startFaultyUpstreams({
    seed: 1,
    headersMs: [0, 2],
    faults: FAULTS,
    primaryFaultSeed: 11,
    secondaryFaultSeed: 12,
  });
  const config = make(upstreams);
  try {
    await replay(config, warmup);
    const before = await upstreams.stats();
    const { retries, resumes, fallbacks } = config.taken;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const tally = await replay(config, measured);
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const after = await upstreams.stats();
    return {
      config,
      tally,
      retries: config.taken.retries - retries,
      resumes: config.taken.resumes - resumes,
      fallbacks: config.taken.fallbacks - fallbacks,
      cpuMicros: used.user + used.system,
      wallMs,
      upstream: {
        primary: delta(after.primary, before.primary),
        secondary: delta(after.secondary, before.secondary),
      },
      hitRate: config.hitRate?.(),
    };
  } finally {
    await config.pool.close();
    await upstreams.close();
  }
}

/** The measured phase's server counters (after − before the warm-up's). */
function delta(after: MockProviderStats, before: MockProviderStats): MockProviderStats {
  const faults: Record<string, number> = {};
  for (const [kind, n] of Object.entries(after.faults))
    faults[kind] = n - (before.faults[kind] ?? 0);
  return { ...after, requests: after.requests - before.requests, faults };
}

/** The verdict in words, from the figures (so it cannot drift from them). */
function reading(kit: Measured, bare: Measured, n: number): string {
  const broken = sum(kit.tally.broken);
  const headlineMet = kit.tally.ok / n >= TARGET;
  const reaskMet = (kit.tally.ok + kit.tally.reaskOk) / n >= TARGET;
  const bareMet = bare.tally.ok / n >= TARGET;
  // Per upstream call: a cut after the first text (2 of 5 kinds), another fault before it.
  const cut = FAULTS.rate * 0.4;
  const early = FAULTS.rate * 0.6;
  const cutShare = (hitRate: number) => STREAM_SHARE * (1 - hitRate) * cut;
  // Unresumable: a cut whose resume meets a fault, or a cut on the primary's 2nd (last) attempt.
  const residual = (hitRate: number) =>
    STREAM_SHARE * (1 - hitRate) * (cut * FAULTS.rate + early * cut);
  return [
    `Reading: llm-kit (b) ${headlineMet ? "meets" : "**misses**"} ≥ ${TARGET * 100}% with a broken stream counted as a failure (${n - kit.tally.ok} failures in ${n.toLocaleString("en-US")}, of which ${broken} streams broken after content) and ${reaskMet ? "meets" : "**misses**"} it when the caller re-asks a broken stream once (${n - kit.tally.ok - kit.tally.reaskOk} failures).`,
    `Without its cache (c) every request meets the faults and the headline is ${pct(bare.tally.ok / n)} (${bareMet ? "also above" : "**below**"} the target), ${sum(bare.tally.broken)} streams broken after content; ${pct((bare.tally.ok + bare.tally.reaskOk) / n)} with one re-ask.`,
    `Streams cut after their first text (reset or error mid-stream, 2 of the 5 fault kinds): expected ${pct(cutShare(kit.hitRate ?? 0))} of requests for (b), ${pct(cutShare(0))} without a cache. Every request is temperature 0, so the retry resumes them (${kit.resumes} resumes in (b), ${bare.resumes} in (c)): the next attempt replays the same answer (the mocks are deterministic), the text the caller already has is checked and dropped, and the stream goes on to its finish.`,
    `A cut stays a failure when no resume can follow it: it came on the primary's last attempt (2 attempts, e.g. after a 500) or the resume met another fault, and fallback may not take over a stream that showed text — about ${pct(cut)} × ${pct(FAULTS.rate)} + ${pct(early)} × ${pct(cut)} of streamed upstream calls, i.e. about ${(residual(kit.hitRate ?? 0) * n).toFixed(1)} failures in ${n.toLocaleString("en-US")} for (b) and ${(residual(0) * n).toFixed(1)} for (c), varying from run to run (which request meets which fault depends on the interleaving of 32 concurrent callers).`,
    "Failures that retry and fallback can absorb (429, 500, reset before content, hung headers) are absorbed.",
  ].join(" ");
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const counts = (c: Record<string, number>) =>
  Object.keys(c).length === 0
    ? "none"
    : Object.entries(c)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");

export async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const { measured: MEASURED, warmup: WARMUP } = quick ? SIZES.quick : SIZES.full;
  const all = trace(WARMUP + MEASURED);
  const warmup = all.slice(0, WARMUP);
  const measured = all.slice(WARMUP);
  const results: Measured[] = [];
  const configurations = [
    baseline,
    (u: FaultyUpstreams) => llmKit(u, true),
    (u: FaultyUpstreams) => llmKit(u, false),
  ];
  for (const make of configurations) {
    results.push(await measure(make, warmup, measured));
    process.stderr.write(`soak: ${results.at(-1)?.config.name} done\n`);
  }
  const n = measured.length;
  const headline = (m: Measured) => m.tally.ok / n;
  const withReask = (m: Measured) => (m.tally.ok + m.tally.reaskOk) / n;
  const failures = (m: Measured) => n - m.tally.ok;

  const columns = [
    "configuration",
    "requests",
    "succeeded",
    "success rate (broken stream = failure)",
    "streams broken after content",
    "success rate, broken stream re-asked once",
    "failures by error class (besides broken streams)",
    "retries",
    "of which stream resumes",
    "fallbacks",
    "upstream calls (primary + secondary)",
    "faults injected",
    "cache hit rate",
    "client CPU µs/req",
    "wall s",
  ];
  const rows = results.map((m) => {
    const faults = sum(m.upstream.primary.faults) + sum(m.upstream.secondary.faults);
    return [
      m.config.name,
      n,
      m.tally.ok,
      pct(headline(m)),
      `${sum(m.tally.broken)} (${counts(m.tally.broken)}); re-ask ok ${m.tally.reaskOk}`,
      pct(withReask(m)),
      counts(m.tally.failed),
      m.retries,
      m.resumes,
      m.fallbacks,
      `${m.upstream.primary.requests} + ${m.upstream.secondary.requests}`,
      `${faults} (${counts({ ...m.upstream.primary.faults })})`,
      m.hitRate === undefined ? "— (no cache)" : pct(m.hitRate),
      (m.cpuMicros / n).toFixed(0),
      (m.wallMs / 1000).toFixed(1),
    ];
  });

  const [base, kit, bare] = results as [Measured, Measured, Measured];
  const reaskFailures = (m: Measured) => n - m.tally.ok - m.tally.reaskOk;
  const failureRatio = (a: number, b: number) =>
    `${b === 0 ? "—" : `${(a / b).toFixed(3)}×`} the baseline's failures (${a} vs ${b})`;
  const baselineName =
    "(a) provider-openai on a plain ConnectionPool, no retry/timeout/fallback/cache";
  const acceptance: AcceptanceRow[] = [
    {
      check:
        "success rate under 5 % injected faults, llm-kit (cache + fallback + retry + timeout); a stream broken after content is a failure",
      target: `≥ ${TARGET * 100} %`,
      measured: `${pct(headline(kit))}; ${failureRatio(failures(kit), failures(base))}`,
      baseline: `${baselineName}: ${pct(headline(base))}`,
      met: headline(kit) >= TARGET,
    },
    {
      check:
        "success rate under 5 % injected faults, llm-kit, the caller re-asks a broken stream once",
      target: `≥ ${TARGET * 100} %`,
      measured: `${pct(withReask(kit))}; ${failureRatio(reaskFailures(kit), reaskFailures(base))}`,
      baseline: `${baselineName}, same re-ask: ${pct(withReask(base))}`,
      met: withReask(kit) >= TARGET,
    },
    {
      check:
        "success rate under 5 % injected faults, llm-kit WITHOUT its cache (broken stream = failure)",
      target: "reported",
      measured: `${pct(headline(bare))}; ${failureRatio(failures(bare), failures(base))}`,
      baseline: `${baselineName}: ${pct(headline(base))}`,
      met: null,
    },
    {
      check: "client CPU per request under faults, llm-kit",
      target: "reported",
      measured: `${(kit.cpuMicros / n).toFixed(0)} µs (${(kit.cpuMicros / base.cpuMicros).toFixed(2)}×)`,
      baseline: `${baselineName}: ${(base.cpuMicros / n).toFixed(0)} µs`,
      met: null,
    },
  ];
  const untyped = results.reduce((a, m) => a + m.tally.untyped, 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  return {
    id: "soak/faults",
    title: "Stability under injected faults (soak)",
    command: rerunCommand("soak/soak.bench.ts"),
    measures: [
      "packages/core/src",
      "packages/cache/src",
      "packages/pool/src",
      "packages/provider-openai/src",
      "packages/testkit/src",
      "tests/reliability/support",
      "bench/soak",
    ],
    intro: [
      `${n.toLocaleString("en-US")} requests per configuration, concurrency ${CONCURRENCY}, the same seeded trace for all (Zipf(1) over ${PROMPTS.toLocaleString("en-US")} prompts, ${ONE_OFF_SHARE * 100}% one-off prompts, ${STREAM_SHARE * 100}% streamed), after a warm-up of ${WARMUP.toLocaleString("en-US")} requests of the same trace (JIT, sockets, llm-kit's cache; not counted). Upstream: @llm/testkit OpenAI mocks in a child process (their CPU is not the client's), 0–2 ms before headers, injecting faults on ${FAULTS.rate * 100}% of requests: ${FAULT_KINDS.join(", ")} (429s carry retry-after ${FAULTS.retryAfterMs} ms). Fresh mocks per configuration, same seeds (responder 1, faults 11 / 12).`,
    ],
    tables: [{ columns, rows }],
    acceptance,
    notes: [
      "- **Success rate (broken stream = failure)** is the headline: a request succeeds when `generate` returns or the stream reaches its `finish` event, with no help from the caller. A stream cut after text reached the caller is never handed to `fallbackClient` (the text shown cannot be taken back); llm-kit's `retryMiddleware` resumes it when the request is deterministic (`temperature: 0`, every request here; `resumeStreams` default): the next attempt must replay the text already shown, only the rest is yielded. A stream that still fails after content (no attempt left, or its resume failed) counts as a failure here.",
      "- **Of which stream resumes**: retries that resumed a stream cut after content (`onRetry` with `resume: true`), within the retries column.",
      "- **Success rate, broken stream re-asked once** is what the reliability soak asserts: the caller (a chat UI) asks a broken stream again, once; a re-ask that fails again stays a failure. The re-asks are extra calls, not extra requests in the count.",
      `- (a) baseline = \`createOpenAI({ baseURL, apiKey, transport: new ConnectionPool({ connections: ${POOL_CONNECTIONS}, maxQueue: 10_000, headersTimeoutMs: ${BASELINE_HEADERS_TIMEOUT_MS} }) })\` on the primary mock only. The header wait is a stand-in for the pool's 600 s default so the run ends: a hung request fails either way, it only ties up the caller ${BASELINE_HEADERS_TIMEOUT_MS / 1000} s here instead of 10 minutes.`,
      `- (b) llm-kit = the reliability soak's composition (tests/reliability/soak.test.ts): \`compose(fallbackClient([primary with retry(2 attempts) → timeout, secondary with retry(3 attempts) → timeout]), cacheMiddleware(SmartCache 1,000 entries))\`, retry with full jitter from 2 ms (cap 50 ms; a 429's retry-after is a floor), \`timeoutMiddleware({ totalMs: 2_000, firstTokenMs: 300 })\`, both providers on one \`ConnectionPool({ connections: ${POOL_CONNECTIONS}, headersTimeoutMs: 300, bodyTimeoutMs: 300, maxQueue: 10_000 })\`. The cache answers its hits without an upstream call, so fewer requests meet a fault: the upstream calls and faults-injected columns show how many faults each configuration actually met.`,
      "- (c) llm-kit without its cache = (b) minus `cacheMiddleware`: every request goes upstream and meets the faults, as in (a). It shows what retry + timeout + fallback alone achieve; the acceptance rows judge (b), the composition the issue and the soak specify (retry, fallback and cache).",
      `- Retries, fallbacks, upstream calls and faults injected cover the measured phase only (faults injected lists the primary's by kind). Client CPU = \`process.cpuUsage()\` delta of the bench process over the measured phase ÷ requests. Wall time moves with the shared machine's load and, for the baseline, with its ${BASELINE_HEADERS_TIMEOUT_MS} ms wait on each hung request.`,
      `- Every failure is an \`LLMError\`: ${untyped === 0 ? "yes (0 untyped failures)" : `**no: ${untyped} untyped failures**`}.`,
      reading(kit, bare, n),
      `Bench took ${seconds} s.`,
    ],
  };
}

await runIfMain(import.meta.url, run);
