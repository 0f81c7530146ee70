/**
 * One process of the cross-process single-flight: a cache middleware over an
 * L1 + RedisStore L2 with a RedisFlightCoordinator, in front of an OpenAI
 * client aimed at a testkit server. The reliability tests build several of
 * these in the test process (each with its own connections, as separate
 * processes would have) and one in a child they SIGKILL (`flight-child.ts`).
 */
import { type CachedAnswer, cacheMiddleware, SmartCache, TieredCache } from "@llm/cache";
import { RedisFlightCoordinator, RedisStore } from "@llm/cache-redis";
import { type ChatRequest, compose, type LLMClient, type StreamEvent } from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";

export interface FlightProcess {
  client: LLMClient;
  coordinator: RedisFlightCoordinator;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function flightProcess(
  url: string,
  namespace: string,
  baseURL: string,
  leaseMs: number,
): Promise<FlightProcess> {
  const store = new RedisStore({
    url,
    namespace,
    subscribe: false,
    reconnectMaxDelayMs: 100,
    onError: () => undefined,
  });
  const coordinator = new RedisFlightCoordinator({
    url,
    namespace,
    leaseMs,
    blockMs: 100,
    maxWaitMs: 20_000,
    onError: () => undefined,
  });
  await Promise.all([store.ready(), coordinator.ready()]);
  const cache = new TieredCache<CachedAnswer>({
    l1: new SmartCache({ maxEntries: 100 }),
    l2: store,
    l2Guard: { timeoutMs: 200, failureThreshold: 3, backoffMs: 100, maxBackoffMs: 400 },
  });
  const middleware = cacheMiddleware({ cache, coordinator });
  const client = compose(
    createOpenAI({ apiKey: "sk-flight-reliability", baseURL, model: "gpt-4o-mini" }),
    middleware,
  );
  return {
    client,
    coordinator,
    flush: () => middleware.flush(),
    async close() {
      await middleware.flush();
      await coordinator.close();
      await cache.close();
    },
  };
}

export const flightRequest = (label: string): ChatRequest => ({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: `single-flight reliability ${label}` }],
  temperature: 0,
});

/** What one caller saw: the text, and how many starts and finishes. */
export async function watchStream(
  events: AsyncIterable<StreamEvent>,
  onFirst?: () => void,
): Promise<{ text: string; starts: number; finishes: number }> {
  let text = "";
  let starts = 0;
  let finishes = 0;
  for await (const event of events) {
    if (starts + finishes === 0 && text === "") onFirst?.();
    if (event.type === "text-delta") text += event.delta;
    if (event.type === "start") starts++;
    if (event.type === "finish") finishes++;
  }
  return { text, starts, finishes };
}
