import { type ChatRequest, collectStream, compose, type StreamEvent } from "@llm/core";
import { beforeEach, describe, expect, it } from "vitest";
import { type CacheMiddleware, cacheMiddleware } from "../src/middleware/cache-middleware.js";
import type { CachedAnswer } from "../src/middleware/cached-answer.js";
import { SmartCache } from "../src/smart-cache/smart-cache.js";
import { MemoryStore } from "../src/store/memory-store.js";
import { waitUntil } from "../src/store/store-conformance.js";
import { TieredCache } from "../src/tiered/tiered-cache.js";
import { drain, FakeClient } from "./fake-client.js";

const request: ChatRequest = {
  messages: [{ role: "user", content: "the same question, asked 100 times" }],
};
const withoutOrigin = (events: StreamEvent[]) =>
  events.map((e) => (e.type === "start" ? { ...e, origin: undefined } : e));

let fake: FakeClient;
let mw: CacheMiddleware;
let client: ReturnType<typeof compose>;

beforeEach(() => {
  fake = new FakeClient();
  fake.behaviour = { delayMs: 3 };
  const cache = new TieredCache<CachedAnswer>({
    l1: new SmartCache({ maxEntries: 100 }),
    l2: new MemoryStore(),
  });
  mw = cacheMiddleware({ cache });
  client = compose(fake, mw);
});

describe("single-flight (acceptance)", () => {
  it("makes exactly one upstream call for 100 concurrent identical generates, all answered alike", async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => client.generate(request)),
    );
    expect(fake.calls).toBe(1);
    expect(new Set(responses.map((r) => r.text))).toEqual(new Set([fake.answerFor(request)]));
    expect(new Set(responses.map((r) => r.id)).size).toBe(1);
    expect(mw.stats().coalesced).toBe(99);
  });

  it("makes exactly one upstream call for 100 concurrent identical streams, all event for event alike", async () => {
    const streams = await Promise.all(
      Array.from({ length: 100 }, () => drain(client.stream(request))),
    );
    expect(fake.calls).toBe(1);
    const first = JSON.stringify(withoutOrigin(streams[0]!));
    for (const events of streams) expect(JSON.stringify(withoutOrigin(events))).toBe(first);
    expect(streams[0]!.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
  });

  it("makes one upstream call for 50 generates and 50 streams mixed, stream first", async () => {
    const streams = Array.from({ length: 50 }, () => drain(client.stream(request)));
    const generates = Array.from({ length: 50 }, () => client.generate(request));
    const [events, responses] = await Promise.all([Promise.all(streams), Promise.all(generates)]);
    expect(fake.calls).toBe(1);
    const text = (await collectStream(toIterable(events[0]!))).text;
    expect(responses.every((r) => r.text === text)).toBe(true);
  });

  it("makes one upstream call for generates and streams mixed, generate first", async () => {
    const first = client.generate(request);
    const streams = Array.from({ length: 20 }, () => drain(client.stream(request)));
    const response = await first;
    const all = await Promise.all(streams);
    expect(fake.calls).toBe(1);
    expect(fake.generateCalls).toBe(1);
    for (const events of all) {
      expect(
        events
          .filter((e) => e.type === "text-delta")
          .map((e) => (e as { delta: string }).delta)
          .join(""),
      ).toBe(response.text);
    }
  });

  it("gives a late joiner the buffered events, then the live ones", async () => {
    fake.behaviour = { delayMs: 5 };
    const early: StreamEvent[] = [];
    const owner = (async () => {
      for await (const event of client.stream(request)) early.push(event);
    })();
    await waitUntil(() => early.length >= 3);
    const late = await drain(client.stream(request));
    await owner;
    expect(fake.calls).toBe(1);
    expect(late).toEqual(early);
  });

  it("keeps serving the other callers when one joiner aborts", async () => {
    fake.behaviour = { delayMs: 5 };
    const controller = new AbortController();
    const owner = drain(client.stream(request));
    const quitter = drain(client.stream(request, { signal: controller.signal }));
    const generator = client.generate(request, { signal: controller.signal });
    controller.abort();
    await expect(quitter).rejects.toMatchObject({ code: "ABORTED" });
    await expect(generator).rejects.toMatchObject({ code: "ABORTED" });
    const events = await owner;
    expect(events.at(-1)?.type).toBe("finish");
    expect(fake.calls).toBe(1);
    expect(mw.stats().stored).toBe(1);
  });

  it("keeps serving the joiners when the first caller aborts", async () => {
    fake.behaviour = { delayMs: 5 };
    const controller = new AbortController();
    const first = client.generate(request, { signal: controller.signal });
    const second = client.generate(request);
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: "ABORTED" });
    expect((await second).text).toBe(fake.answerFor(request));
    expect(fake.calls).toBe(1);
  });

  it("passes an upstream failure to every caller of the flight", async () => {
    fake.behaviour = { delayMs: 3, fail: true };
    const results = await Promise.allSettled([
      ...Array.from({ length: 10 }, () => client.generate(request)),
      ...Array.from({ length: 10 }, () => drain(client.stream(request))),
    ]);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(fake.calls).toBe(1);
  });
});

async function* toIterable(events: StreamEvent[]): AsyncGenerator<StreamEvent> {
  yield* events;
}
