import type { ChildProcess } from "node:child_process";
import { type CachedAnswer, cacheMiddleware, SmartCache, TieredCache } from "@llm/cache";
import { waitUntil } from "@llm/cache/testing";
import { type ChatRequest, type ChatResponse, compose, type LLMClient } from "@llm/core";
import { afterEach, describe, expect, it } from "vitest";
import { RedisStore } from "../src/redis-store.js";
import { freePort, startPrivateRedis, stopPrivateRedis, uniqueNamespace } from "./redis-helpers.js";

/** The smallest deterministic client: answers "echo: <question>" and counts calls. */
class EchoClient implements LLMClient {
  readonly provider = "echo";
  readonly model = "echo-1";
  calls = 0;
  async generate(request: ChatRequest): Promise<ChatResponse> {
    this.calls++;
    const question = String(request.messages.at(-1)?.content);
    const text = `echo: ${question}`;
    return {
      id: `r${this.calls}`,
      model: this.model,
      provider: this.provider,
      text,
      content: [{ type: "text", text }],
      toolCalls: [],
      finishReason: "stop",
      usage: { inputTokens: 3, outputTokens: 3, totalTokens: 6 },
      origin: { type: "upstream" },
    };
  }
  stream(): AsyncIterable<never> {
    throw new Error("not used");
  }
}

const ask = (q: string): ChatRequest => ({ messages: [{ role: "user", content: q }] });

let redis: ChildProcess | undefined;
let store: RedisStore | undefined;

afterEach(async () => {
  await store?.close();
  if (redis) await stopPrivateRedis(redis);
});

describe("Redis stopped mid-run (a private redis-server)", () => {
  it("answers every request while Redis is down, counts the errors, and resumes L2 hits when it returns", async () => {
    const port = await freePort();
    redis = await startPrivateRedis(port);
    store = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      namespace: uniqueNamespace("outage"),
      commandTimeoutMs: 200,
    });
    await store.ready();
    const l1 = new SmartCache<CachedAnswer>({ maxEntries: 1_000 });
    const cache = new TieredCache<CachedAnswer>({
      l1,
      l2: store,
      l2Guard: { timeoutMs: 200, failureThreshold: 2, backoffMs: 50, maxBackoffMs: 200 },
    });
    const upstream = new EchoClient();
    const mw = cacheMiddleware({ cache });
    const client = compose(upstream, mw);

    // Healthy: a miss, then an L2 hit once L1 forgets.
    await client.generate(ask("before"));
    await mw.flush();
    l1.clear();
    expect((await client.generate(ask("before"))).origin).toMatchObject({
      type: "cache",
      level: "l2",
    });

    // Kill Redis: every request is still answered, from L1 or upstream.
    await stopPrivateRedis(redis);
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) answers.push((await client.generate(ask(`during ${i % 5}`))).text);
    answers.push((await client.generate(ask("before"))).text);
    expect(answers).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `echo: during ${i % 5}`),
      "echo: before",
    ]);
    const down = cache.stats().l2;
    expect(down.errors + down.timeouts).toBeGreaterThan(0);
    expect(down.trips).toBeGreaterThan(0);
    expect(upstream.calls).toBe(1 + 5); // the five "during" questions once each; the rest from L1

    // Bring it back on the same port: the store reconnects by itself, L2 hits resume.
    redis = await startPrivateRedis(port);
    await waitUntil(async () => {
      const question = `after ${Date.now()}`;
      await client.generate(ask(question));
      await mw.flush();
      l1.clear();
      const again = await client.generate(ask(question));
      return again.origin.type === "cache" && again.origin.level === "l2";
    }, 15_000);
    expect(cache.stats().l2.state).toBe("closed");
  });
});
