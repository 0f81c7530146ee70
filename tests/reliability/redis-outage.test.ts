import { type CachedAnswer, cacheMiddleware, SmartCache, TieredCache } from "@llm/cache";
import { RedisStore } from "@llm/cache-redis";
import { type ChatRequest, compose, type LLMClient } from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "./support/prng.js";
import { freePort, PrivateRedis } from "./support/redis-server.js";

const PROMPTS = 200;
const WORKERS = 8;

const ask = (rank: number): ChatRequest => ({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: `redis outage prompt ${rank}` }],
  temperature: 0,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a Redis L2 killed and restarted mid-run", () => {
  let redis: PrivateRedis;
  let mock: MockProvider;
  let store: RedisStore;
  let tiered: TieredCache<CachedAnswer>;
  let client: LLMClient;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    mock = await startMockProvider({ provider: "openai", latency: { headersMs: [1, 3] } });
    store = new RedisStore({
      url: redis.url,
      namespace: `reliability-outage-${process.pid}`,
      reconnectMaxDelayMs: 100,
      onError: () => undefined,
    });
    await store.ready();
    // L1 far smaller than the prompt set, so most repeats must come from L2.
    tiered = new TieredCache<CachedAnswer>({
      l1: new SmartCache<CachedAnswer>({ maxEntries: 10 }),
      l2: store,
      l2Guard: { timeoutMs: 200, failureThreshold: 3, backoffMs: 100, maxBackoffMs: 400 },
    });
    client = compose(
      createOpenAI({ apiKey: "sk-test-outage", baseURL: mock.baseURL, model: "gpt-4o-mini" }),
      cacheMiddleware({ cache: tiered }),
    );
  });

  afterAll(async () => {
    await store?.close();
    await redis?.kill();
    await mock?.close();
  });

  it("fails no request while Redis is down and serves L2 hits again once it is back", async () => {
    const random = seededRandom(3);
    const failures: unknown[] = [];
    let served = 0;
    let running = true;
    const worker = async () => {
      while (running) {
        try {
          const answer = await client.generate(ask(Math.floor(random() * PROMPTS)));
          expect(answer.text.length).toBeGreaterThan(0);
          served++;
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    const waitFor = async (what: string, done: () => boolean) => {
      for (let i = 0; i < 300 && !done(); i++) await sleep(50);
      if (!done()) throw new Error(`timed out waiting for ${what}`);
    };

    try {
      await waitFor("L2 hits before the outage", () => tiered.stats().l2.hits > 20);
      await redis.kill();
      const servedAtKill = served;
      await waitFor("the L2 circuit to open", () => tiered.stats().l2.trips > 0);
      await waitFor("traffic during the outage", () => served > servedAtKill + 200);
      const hitsWhileDown = tiered.stats().l2.hits;
      await redis.start();
      await waitFor("L2 hits after the restart", () => tiered.stats().l2.hits > hitsWhileDown);
    } finally {
      running = false;
      await load;
    }

    const stats = tiered.stats().l2;
    expect(failures).toEqual([]);
    expect(stats.errors + stats.timeouts).toBeGreaterThan(0);
    expect(stats.trips).toBeGreaterThan(0);
    expect(served).toBeGreaterThan(200);
  });
});
