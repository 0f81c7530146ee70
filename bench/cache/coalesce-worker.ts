/**
 * One process of bench/cache/coalesce.bench.ts: a cache middleware over L1 +
 * a RedisStore L2, with or without a RedisFlightCoordinator, in front of an
 * OpenAI client aimed at the bench's testkit server. Prints `ready`, waits
 * for `go <t0>`, then for each round r fires `callers` identical requests at
 * t0 + r × gap (a new prompt per round, so each round is a miss everywhere)
 * and prints one JSON line: per caller, ms to its answer (generate) or to
 * its first and last event (stream).
 * Usage: coalesce-worker.ts <redis-url> <namespace> <baseURL> <on|off> <generate|stream> <callers> <rounds> <gapMs>
 */
import { createInterface } from "node:readline";
import { type CachedAnswer, cacheMiddleware, SmartCache, TieredCache } from "@llm/cache";
import { RedisFlightCoordinator, RedisStore } from "@llm/cache-redis";
import { compose } from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";

const [url, namespace, baseURL, coalesce, mode, callersText, roundsText, gapText] =
  process.argv.slice(2) as [string, string, string, string, string, string, string, string];
const store = new RedisStore({ url, namespace, subscribe: false });
const coordinator =
  coalesce === "on" ? new RedisFlightCoordinator({ url, namespace, blockMs: 250 }) : undefined;
await Promise.all([store.ready(), coordinator?.ready()]);
const cache = new TieredCache<CachedAnswer>({
  l1: new SmartCache({ maxEntries: 1_000 }),
  l2: store,
});
const middleware = cacheMiddleware({ cache, ...(coordinator ? { coordinator } : {}) });
const client = compose(
  createOpenAI({ apiKey: "sk-bench-coalesce", baseURL, model: "gpt-4o-mini" }),
  middleware,
);

process.stdout.write("ready\n");
let t0 = 0;
for await (const line of createInterface({ input: process.stdin })) {
  if (line.startsWith("go ")) {
    t0 = Number(line.slice(3));
    break;
  }
}

const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
const samples: { firstMs: number; lastMs: number }[] = [];
for (let round = 0; round < Number(roundsText); round++) {
  const start = t0 + round * Number(gapText);
  await sleepUntil(start);
  const request = {
    model: "gpt-4o-mini",
    messages: [{ role: "user" as const, content: `${namespace} round ${round}` }],
    temperature: 0,
  };
  const one = async () => {
    if (mode === "generate") {
      await client.generate(request);
      const ms = performance.timeOrigin + performance.now() - start;
      return { firstMs: ms, lastMs: ms };
    }
    let firstMs = -1;
    for await (const _ of client.stream(request)) {
      if (firstMs < 0) firstMs = performance.timeOrigin + performance.now() - start;
    }
    return { firstMs, lastMs: performance.timeOrigin + performance.now() - start };
  };
  samples.push(...(await Promise.all(Array.from({ length: Number(callersText) }, one))));
}
await middleware.flush();
process.stdout.write(`${JSON.stringify({ samples })}\n`);
await coordinator?.close();
await cache.close();
process.exit(0);
