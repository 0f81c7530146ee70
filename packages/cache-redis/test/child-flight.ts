/**
 * One real process of the cross-process single-flight tests: a cache
 * middleware over a TieredCache (L1 + RedisStore) with a
 * RedisFlightCoordinator, in front of an OpenAI client aimed at a testkit
 * server. Waits for a line `go` on stdin, sends `count` identical requests
 * at once (generate or stream), prints `{"first":true}` when the first
 * stream event reaches a caller, then one JSON line with what every caller
 * saw. Usage: child-flight.ts <redis-url> <namespace> <baseURL> <count> <generate|stream> <leaseMs>
 */
import { createInterface } from "node:readline";
import { type CachedAnswer, cacheMiddleware, SmartCache, TieredCache } from "@llm/cache";
import { type ChatRequest, compose, type StreamEvent } from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";
import { RedisFlightCoordinator } from "../src/redis-flight-coordinator.js";
import { RedisStore } from "../src/redis-store.js";

const [url, namespace, baseURL, countText, mode, leaseText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  "generate" | "stream",
  string,
];
const store = new RedisStore({ url, namespace, subscribe: false });
const coordinator = new RedisFlightCoordinator({
  url,
  namespace,
  leaseMs: Number(leaseText),
  blockMs: 200,
});
await Promise.all([store.ready(), coordinator.ready()]);
const cache = new TieredCache<CachedAnswer>({ l1: new SmartCache({ maxEntries: 100 }), l2: store });
const middleware = cacheMiddleware({ cache, coordinator });
const client = compose(
  createOpenAI({ apiKey: "sk-child-flight", baseURL, model: "gpt-4o-mini" }),
  middleware,
);
const request: ChatRequest = {
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: `single-flight ${namespace}` }],
  temperature: 0,
};

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === "go") break;

let first = false;
const one = async (): Promise<{ text: string; types: string[]; error?: string }> => {
  try {
    if (mode === "generate") {
      const response = await client.generate(request);
      return { text: response.text, types: [] };
    }
    const seen: StreamEvent[] = [];
    for await (const event of client.stream(request)) {
      seen.push(event);
      if (!first) {
        first = true;
        process.stdout.write(`${JSON.stringify({ first: true })}\n`);
      }
    }
    return {
      text: seen.map((e) => (e.type === "text-delta" ? e.delta : "")).join(""),
      types: seen.map((e) => e.type),
    };
  } catch (error) {
    return { text: "", types: [], error: error instanceof Error ? error.name : String(error) };
  }
};
const results = await Promise.all(Array.from({ length: Number(countText) }, one));
await middleware.flush();
process.stdout.write(
  `${JSON.stringify({ results, stats: middleware.stats(), flights: coordinator.stats() })}\n`,
);
await coordinator.close();
await cache.close();
process.exit(0);
