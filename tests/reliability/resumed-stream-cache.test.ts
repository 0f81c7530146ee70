import { type CachedAnswer, cacheMiddleware, SmartCache } from "@llm/cache";
import { type ChatRequest, compose, retryMiddleware, type StreamEvent } from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// The soak's composition in small: cache → retry → openai over a real testkit socket. The
// cache sits outside the retry, so a stream the retry resumed is what the cache records.
const request: ChatRequest = {
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "soak prompt number 7: say something short" }],
  temperature: 0,
};
let server: MockProvider;

beforeEach(async () => {
  server = await startMockProvider({ provider: "openai" });
});

afterEach(async () => {
  await server.close();
});

function cachedClient(onRetry?: () => void) {
  const cache = cacheMiddleware({ cache: new SmartCache<CachedAnswer>({ maxEntries: 100 }) });
  const client = compose(
    createOpenAI({ apiKey: "sk-test-resume-cache", baseURL: server.baseURL }),
    cache,
    retryMiddleware({
      maxAttempts: 3,
      baseDelayMs: 5,
      maxDelayMs: 50,
      ...(onRetry && { onRetry }),
    }),
  );
  return { client, cache };
}

async function read(
  events: AsyncIterable<StreamEvent>,
  seen: StreamEvent[] = [],
): Promise<StreamEvent[]> {
  for await (const event of events) seen.push(event);
  return seen;
}

/** Every response gets a fresh id from the server, and a hit its age: compare the rest. */
const comparable = (events: StreamEvent[]) =>
  events.map((e) =>
    e.type === "start"
      ? { ...e, id: "<id>", requestId: "<id>", origin: { ...e.origin, ageMs: 0 } }
      : e,
  );
const textOf = (events: StreamEvent[]) =>
  events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");

describe("a resumed stream in the cache", () => {
  it("is recorded as one seamless stream and replays exactly as a clean one", async () => {
    const clean = cachedClient();
    const cleanLive = await read(clean.client.stream(request));
    await clean.cache.flush();
    const cleanReplay = await read(clean.client.stream(request));
    expect(server.requests).toHaveLength(1);

    server.enqueue({ fault: "error-mid-stream", afterChunks: 3 });
    const resumedLive: StreamEvent[] = [];
    let shownAtCut = "";
    const resumed = cachedClient(() => {
      shownAtCut = textOf(resumedLive);
    });
    await read(resumed.client.stream(request), resumedLive);
    await resumed.cache.flush();
    const resumedReplay = await read(resumed.client.stream(request));
    expect(server.requests).toHaveLength(3); // the cut attempt and its resume; the replay is a hit

    expect(shownAtCut.length).toBeGreaterThan(0); // the stream was cut after text reached us
    expect(resumed.cache.stats().hits).toEqual({ l1: 1 });
    expect(textOf(resumedLive)).toBe(textOf(cleanLive));
    expect(resumedReplay.filter((e) => e.type === "start")).toHaveLength(1);
    expect(resumedReplay[0]).toMatchObject({ type: "start", origin: { type: "cache" } });
    expect(comparable(resumedReplay)).toEqual(comparable(cleanReplay));
    expect(comparable(resumedLive).slice(1)).toEqual(comparable(cleanLive).slice(1));
  });
});
