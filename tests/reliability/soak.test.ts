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
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom, zipfSampler } from "./support/prng.js";
import { runConcurrently } from "./support/run-concurrently.js";
import { watchUnhandled } from "./support/unhandled.js";

/**
 * 50,000 requests at concurrency 32, the full count: on the 2-core
 * machine, other jobs running, the measured phase takes 12–16 s and the whole
 * file about 20 s. SOAK_REQUESTS overrides it for a quick local run.
 */
const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 50_000);
const CONCURRENCY = 32;
const PROMPTS = 5_000;
/** Share of requests with a prompt never seen before (always a miss). */
const ONE_OFF_SHARE = 0.1;
const STREAM_SHARE = 0.2;
const POOL_CONNECTIONS = 16;

const FAULTS = {
  rate: 0.05,
  kinds: ["rate-limit", "server-error", "reset", "hang-headers", "error-mid-stream"] as const,
  retryAfterMs: 5,
};

const prompt = (rank: number): ChatRequest => ({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: `soak prompt number ${rank}: say something short` }],
  temperature: 0,
});

interface Tally {
  ok: number;
  failed: number;
  byType: Record<string, number>;
  untyped: unknown[];
  /** The first few failure messages, for the log. */
  samples: string[];
  /** Streams that broke after text had reached the consumer and could not be resumed. */
  brokenAfterContent: number;
  /** Answers that differ from the first answer seen for the same prompt. */
  inconsistent: number;
}

const newTally = (): Tally => ({
  ok: 0,
  failed: 0,
  byType: {},
  untyped: [],
  samples: [],
  brokenAfterContent: 0,
  inconsistent: 0,
});

class StreamBrokeAfterContent extends Error {
  constructor(readonly original: unknown) {
    super("stream failed after content");
  }
}

async function ask(client: LLMClient, request: ChatRequest, streamed: boolean): Promise<string> {
  if (!streamed) return (await client.generate(request)).text;
  let text = "";
  let finished = false;
  try {
    for await (const event of client.stream(request)) {
      if (event.type === "text-delta") text += event.delta;
      if (event.type === "finish") finished = true;
    }
  } catch (error) {
    if (text !== "") throw new StreamBrokeAfterContent(error);
    throw error;
  }
  if (!finished) throw new Error("stream ended without a finish event");
  return text;
}

/** Heap in use once pending callbacks ran and a full collection finished (twice: weak refs, finalizers). */
async function settledHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}

describe("soak: retry + fallback + cache on the pool under 5% injected faults", () => {
  let primary: MockProvider;
  let secondary: MockProvider;
  let pool: ConnectionPool;
  let client: LLMClient;
  let cache: ReturnType<typeof cacheMiddleware>;

  beforeAll(async () => {
    // maxRecorded 0: the mock servers live in this process, their history would count as our heap.
    primary = await startMockProvider({
      provider: "openai",
      seed: 1,
      faults: { ...FAULTS, kinds: [...FAULTS.kinds], seed: 11 },
      maxRecorded: 0,
    });
    secondary = await startMockProvider({
      provider: "openai",
      seed: 1,
      faults: { ...FAULTS, kinds: [...FAULTS.kinds], seed: 12 },
      maxRecorded: 0,
    });
    // Header and body timeouts are the first-byte / idle deadlines that cut a hung response.
    pool = new ConnectionPool({
      connections: POOL_CONNECTIONS,
      headersTimeoutMs: 300,
      bodyTimeoutMs: 300,
      maxQueue: 10_000,
    });
    const random = seededRandom(7);
    // Two attempts on the primary, so that some calls do exhaust them and fall back.
    const resilient = (upstream: LLMClient, maxAttempts: number) =>
      compose(
        upstream,
        retryMiddleware({ maxAttempts, baseDelayMs: 2, maxDelayMs: 50, random }),
        timeoutMiddleware({ totalMs: 2_000, firstTokenMs: 300 }),
      );
    const upstream = (mock: MockProvider) =>
      createOpenAI({
        apiKey: "sk-test-soak",
        baseURL: mock.baseURL,
        transport: pool,
        model: "gpt-4o-mini",
      });
    cache = cacheMiddleware({
      // L1 only and smaller than the prompt set: it fills during the warm-up, then
      // evicts, so the heap has a ceiling and misses keep going upstream.
      cache: new SmartCache<CachedAnswer>({ maxEntries: 1_000 }),
    });
    client = compose(
      fallbackClient([resilient(upstream(primary), 2), resilient(upstream(secondary), 3)]),
      cache,
    );
  });

  afterAll(async () => {
    await pool?.close();
    await primary?.close();
    await secondary?.close();
  });

  it("serves ≥ 99.9% of requests, fails only with LLMErrors, and leaks neither sockets nor heap", async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, "run with --expose-gc (vitest.config.ts sets execArgv)").toBeTypeOf("function");
    const unhandled = watchUnhandled();
    const random = seededRandom(42);
    const nextRank = zipfSampler(PROMPTS, 1, random);
    let tally = newTally();
    const answers = new Map<number, string>();
    const record = (error: unknown) => {
      tally.failed++;
      const type = error instanceof Error ? error.constructor.name : typeof error;
      tally.byType[type] = (tally.byType[type] ?? 0) + 1;
      if (!isLLMError(error)) tally.untyped.push(error);
      if (tally.samples.length < 5) tally.samples.push(`${type}: ${(error as Error).message}`);
    };
    const one = async (rank: number, streamed: boolean) => {
      const request = prompt(rank);
      try {
        let text: string;
        try {
          text = await ask(client, request, streamed);
        } catch (error) {
          if (!(error instanceof StreamBrokeAfterContent)) throw error;
          // The text already shown cannot be taken back, so no middleware retries it;
          // the application does what a chat UI does: it asks again, once.
          tally.brokenAfterContent++;
          if (!isLLMError(error.original)) tally.untyped.push(error.original);
          text = await ask(client, request, streamed);
        }
        const first = answers.get(rank);
        if (first === undefined) {
          if (rank < PROMPTS) answers.set(rank, text);
        } else if (first !== text) tally.inconsistent++;
        tally.ok++;
      } catch (error) {
        record(error instanceof StreamBrokeAfterContent ? error.original : error);
      }
    };
    let oneOff = PROMPTS;
    const nextPrompt = () => (random() < ONE_OFF_SHARE ? oneOff++ : nextRank());

    // Warm-up: every prompt once (JIT, sockets, a full cache), then the heap baseline.
    await runConcurrently(PROMPTS, CONCURRENCY, (i) => one(i, i % 5 === 0));
    const heapBefore = await settledHeap();
    const warmup = tally;
    tally = newTally();

    const started = Date.now();
    await runConcurrently(REQUESTS, CONCURRENCY, () => one(nextPrompt(), random() < STREAM_SHARE));
    const seconds = (Date.now() - started) / 1000;
    await cache.flush();

    const heapAfter = await settledHeap();
    unhandled.stop();
    const poolStats = Object.values(pool.stats());
    const stats = cache.stats();
    console.info(
      JSON.stringify(
        {
          requests: REQUESTS,
          seconds,
          ok: tally.ok,
          failed: tally.failed,
          successRate: tally.ok / REQUESTS,
          failuresByType: tally.byType,
          failureSamples: tally.samples,
          brokenAfterContent: tally.brokenAfterContent,
          inconsistent: tally.inconsistent,
          warmup,
          heapBeforeMB: heapBefore / 2 ** 20,
          heapAfterMB: heapAfter / 2 ** 20,
          heapDelta: (heapAfter - heapBefore) / heapBefore,
          cache: stats,
          pool: poolStats,
          primary: primary.stats(),
          secondary: secondary.stats(),
        },
        null,
        1,
      ),
    );

    expect(tally.untyped).toEqual([]);
    expect(warmup.untyped).toEqual([]);
    expect(tally.inconsistent).toBe(0);
    expect(unhandled.errors).toEqual([]);
    expect(tally.ok + tally.failed).toBe(REQUESTS);
    expect(tally.ok / REQUESTS).toBeGreaterThanOrEqual(0.999);
    // The faults did happen, and the cache both hit and missed.
    expect(primary.stats().faults).toMatchObject({
      "rate-limit": expect.any(Number),
      reset: expect.any(Number),
      "hang-headers": expect.any(Number),
    });
    expect(secondary.stats().requests).toBeGreaterThan(0);
    expect(stats.hits.l1).toBeGreaterThan(0);
    expect(stats.misses).toBeGreaterThan(0);
    expect(poolStats.length).toBe(2);
    for (const origin of poolStats) {
      expect(origin.connected).toBeLessThanOrEqual(POOL_CONNECTIONS);
      expect(origin.inFlight).toBe(0);
      expect(origin.queued).toBe(0);
    }
    expect(Math.abs(heapAfter - heapBefore) / heapBefore).toBeLessThanOrEqual(0.1);
  });
});
