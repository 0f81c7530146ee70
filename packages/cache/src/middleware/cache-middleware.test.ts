import {
  type CallWarning,
  type ChatRequest,
  collectStream,
  compose,
  type LLMClient,
  type StreamEvent,
} from "@llm/core";
import { beforeEach, describe, expect, it } from "vitest";
import { drain, FakeClient } from "../../test/fake-client.js";
import { compressedJsonCodec } from "../smart-cache/codecs.js";
import { SmartCache } from "../smart-cache/smart-cache.js";
import { MemoryStore } from "../store/memory-store.js";
import { waitUntil } from "../store/store-conformance.js";
import type { CorruptEntryEvent } from "../tiered/tiered-cache.js";
import { TieredCache } from "../tiered/tiered-cache.js";
import { poisonedAnswers } from "./answer-samples.js";
import {
  type CacheMiddleware,
  type CacheMiddlewareOptions,
  cacheMiddleware,
} from "./cache-middleware.js";
import type { CachedAnswer } from "./cached-answer.js";

const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: "user", content: text }],
  ...extra,
});

let fake: FakeClient;
let l1: SmartCache<CachedAnswer>;
let store: MemoryStore;
let tiered: TieredCache<CachedAnswer>;
let mw: CacheMiddleware;
let client: LLMClient;

function build(options: Partial<CacheMiddlewareOptions> = {}) {
  mw = cacheMiddleware({ cache: tiered, ...options });
  client = compose(fake, mw);
}

beforeEach(() => {
  fake = new FakeClient();
  l1 = new SmartCache<CachedAnswer>({ maxEntries: 1_000 });
  store = new MemoryStore();
  tiered = new TieredCache({ l1, l2: store });
  build();
});

const withoutOrigin = (events: StreamEvent[]) =>
  events.map((e) => (e.type === "start" ? { ...e, origin: undefined } : e));

describe("cacheMiddleware with generate", () => {
  it("answers a repeated request from L1 with the key and age in origin", async () => {
    const first = await client.generate(ask("hello"));
    const second = await client.generate(ask("hello"));
    const key = mw.keyOf(ask("hello"), fake);
    expect(first.origin).toEqual({ type: "upstream" });
    expect(first.providerMetadata).toEqual({ upstream: true, cacheKey: key });
    expect(second.origin).toMatchObject({ type: "cache", level: "l1", key });
    expect(second.text).toBe(first.text);
    expect(fake.calls).toBe(1);
  });

  it("answers from L2 when L1 lost the entry", async () => {
    await client.generate(ask("hello"));
    await mw.flush();
    l1.clear();
    const again = await client.generate(ask("hello"));
    expect(again.origin).toMatchObject({ type: "cache", level: "l2" });
    expect(fake.calls).toBe(1);
    expect(mw.stats().hits).toEqual({ l2: 1 });
  });

  it("reports the entry's age on a hit", async () => {
    let now = 5_000;
    build({ now: () => now });
    await client.generate(ask("hello"));
    now += 1_234;
    const hit = await client.generate(ask("hello"));
    expect(hit.origin).toMatchObject({ ageMs: 1_234 });
  });

  it("does not store an answer that finished with an error", async () => {
    fake.behaviour = { finishReason: "error" };
    await client.generate(ask("hello"));
    await client.generate(ask("hello"));
    expect(fake.calls).toBe(2);
    expect(mw.stats().notStored).toBe(2);
  });

  it("passes an upstream failure through and stores nothing", async () => {
    fake.behaviour = { fail: true };
    await expect(client.generate(ask("hello"))).rejects.toThrow("upstream exploded");
    fake.behaviour = {};
    const ok = await client.generate(ask("hello"));
    expect(ok.origin).toEqual({ type: "upstream" });
    expect(fake.calls).toBe(2);
  });

  it("keeps tool calls in a cached answer", async () => {
    fake.behaviour = { toolCalls: [{ id: "c1", name: "lookup", input: { q: "x" } }] };
    await client.generate(ask("use a tool"));
    const hit = await client.generate(ask("use a tool"));
    expect(hit.toolCalls).toEqual([{ id: "c1", name: "lookup", input: { q: "x" } }]);
    expect(hit.finishReason).toBe("tool-calls");
  });

  it("calls onMiss and onHit with the key", async () => {
    const seen: string[] = [];
    build({
      onHit: (e) => seen.push(`hit:${e.level}:${e.key}`),
      onMiss: (e) => seen.push(`miss:${e.coalesced}:${e.key}`),
    });
    await client.generate(ask("hello"));
    await client.generate(ask("hello"));
    const key = mw.keyOf(ask("hello"), fake);
    expect(seen).toEqual([`miss:false:${key}`, `hit:l1:${key}`]);
  });
});

describe("cacheMiddleware with streams", () => {
  it("replays a recorded stream event for event, marked as cached", async () => {
    const recorded = await drain(client.stream(ask("tell me a story")));
    const replayed = await drain(client.stream(ask("tell me a story")));
    expect(fake.calls).toBe(1);
    expect(withoutOrigin(replayed)).toEqual(withoutOrigin(recorded));
    expect(recorded[0]).toMatchObject({ type: "start", origin: { type: "upstream" } });
    expect(replayed[0]).toMatchObject({
      type: "start",
      origin: { type: "cache", level: "l1", key: mw.keyOf(ask("tell me a story"), fake) },
    });
  });

  it("replays tool-call deltas, tool calls, usage and finish from a recorded stream", async () => {
    fake.behaviour = { toolCalls: [{ id: "c1", name: "f", input: { a: [1, 2] } }] };
    const recorded = await drain(client.stream(ask("tools")));
    const replayed = await drain(client.stream(ask("tools")));
    const types = replayed.map((e) => e.type);
    expect(types).toContain("tool-call-delta");
    expect(types.slice(-4)).toEqual(["tool-call-delta", "tool-call", "usage", "finish"]);
    expect(withoutOrigin(replayed)).toEqual(withoutOrigin(recorded));
  });

  it("answers a generate from a recorded stream", async () => {
    const events = await drain(client.stream(ask("hello")));
    const response = await client.generate(ask("hello"));
    expect(response.origin).toMatchObject({ type: "cache", level: "l1" });
    expect(response.text).toBe(
      events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join(""),
    );
    expect(response.rawFinishReason).toBe("raw");
    expect(fake.calls).toBe(1);
  });

  it("streams a cached generate answer as the events a provider would send", async () => {
    fake.behaviour = { toolCalls: [{ id: "c1", name: "f", input: { a: 1 } }] };
    const response = await client.generate(ask("hello"));
    const events = await drain(client.stream(ask("hello")));
    expect(events.map((e) => e.type)).toEqual([
      "start",
      "text-delta",
      "tool-call-delta",
      "tool-call",
      "usage",
      "finish",
    ]);
    expect(events[1]).toEqual({ type: "text-delta", delta: response.text });
    expect(events[2]).toMatchObject({ argsDelta: '{"a":1}' });
    expect(events.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
  });

  // The answer-level metadata of the providers that have some, as their stream handlers put it on `finish`.
  const answerMetadata = [
    ["an OpenAI refusal", { refusal: "I can't help with that." }],
    [
      "Azure's filter verdicts",
      {
        promptFilterResults: { hate: { filtered: false, severity: "safe" } },
        contentFilterResults: { violence: { filtered: true, severity: "medium" } },
      },
    ],
    ["Anthropic's stop details", { stopDetails: { type: "refusal", category: "cyber" } }],
  ] as const;

  it.each(answerMetadata)(
    "keeps %s on finish through a stream miss and stream hits from L1 and L2",
    async (_, providerMetadata) => {
      fake.behaviour = { finishReason: "content-filter", providerMetadata };
      const recorded = await drain(client.stream(ask("refuse")));
      const fromL1 = await drain(client.stream(ask("refuse")));
      await mw.flush();
      l1.clear();
      const fromL2 = await drain(client.stream(ask("refuse")));
      expect(fake.calls).toBe(1);
      expect(recorded.at(-1)).toMatchObject({ type: "finish", providerMetadata });
      expect(fromL1.at(-1)).toEqual(recorded.at(-1));
      expect(fromL2.at(-1)).toEqual(recorded.at(-1));
      expect(fromL2[0]).toMatchObject({ origin: { type: "cache", level: "l2" } });
      const generated = await client.generate(ask("refuse"));
      expect(generated.providerMetadata).toEqual(providerMetadata);
    },
  );

  it("streams a cached generate answer with its provider metadata on finish", async () => {
    const providerMetadata = { refusal: "No." };
    fake.behaviour = { finishReason: "content-filter", providerMetadata };
    await client.generate(ask("refuse"));
    const events = await drain(client.stream(ask("refuse")));
    expect(fake.calls).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: "finish", providerMetadata });
  });

  it("streams a cached generate answer with its warnings on finish, as a recorded stream keeps them", async () => {
    const warnings: CallWarning[] = [{ type: "unsupported-setting", setting: "topK" }];
    fake.behaviour = { warnings };
    const generated = await client.generate(ask("ignored topK"));
    const replayed = await drain(client.stream(ask("ignored topK")));
    expect(fake.calls).toBe(1);
    expect(generated.warnings).toEqual(warnings);
    expect(replayed.at(-1)).toMatchObject({ type: "finish", warnings });
    expect((await collectStream(client.stream(ask("ignored topK")))).warnings).toEqual(warnings);
  });

  it("passes a mid-stream failure to the caller after the events so far, and stores nothing", async () => {
    fake.behaviour = { fail: true, afterEvents: 2 };
    const seen: StreamEvent[] = [];
    await expect(async () => {
      for await (const event of client.stream(ask("hello"))) seen.push(event);
    }).rejects.toThrow("stream broke");
    expect(seen.map((e) => e.type)).toEqual(["start", "text-delta"]);
    expect(mw.stats().stored).toBe(0);
    fake.behaviour = {};
    await drain(client.stream(ask("hello")));
    expect(fake.calls).toBe(2);
  });

  it("stores only the last attempt of a stream that a retry restarted", async () => {
    const usage = { inputTokens: 1, outputTokens: 2, totalTokens: 3 };
    const restarted: LLMClient = {
      provider: "fake",
      model: "m",
      generate: () => Promise.reject(new Error("unused")),
      async *stream() {
        yield {
          type: "start",
          id: "a1",
          model: "m",
          provider: "fake",
          origin: { type: "upstream" },
        };
        yield { type: "text-delta", delta: "Policy" };
        // what `retryMiddleware({ retryStreamsAfterContent: true })` yields after a mid-stream failure
        yield {
          type: "start",
          id: "a2",
          model: "m",
          provider: "fake",
          origin: { type: "upstream" },
        };
        yield { type: "text-delta", delta: "Policy careful" };
        yield { type: "finish", finishReason: "stop", usage };
      },
    };
    const cached = compose(restarted, cacheMiddleware({ cache: tiered }));
    await drain(cached.stream(ask("restart")));
    const hit = await cached.generate(ask("restart"));
    expect(hit.origin.type).toBe("cache");
    expect(hit.text).toBe("Policy careful");
    expect(hit.id).toBe("a2");
  });

  it("does not store a stream with an in-band error event or without a finish", async () => {
    fake.behaviour = { errorEvent: true };
    await drain(client.stream(ask("a")));
    fake.behaviour = { noFinish: true };
    await drain(client.stream(ask("a")));
    fake.behaviour = { finishReason: "error" };
    await drain(client.stream(ask("a")));
    expect(mw.stats().stored).toBe(0);
    expect(mw.stats().notStored).toBe(3);
  });

  it("aborts the upstream stream and stores nothing when the only reader stops early", async () => {
    fake.behaviour = { delayMs: 2 };
    for await (const event of client.stream(ask("long story"))) {
      if (event.type === "text-delta") break;
    }
    await waitUntil(() => mw.stats().notStored === 1);
    expect(fake.seenOptions[0]?.signal?.aborted).toBe(true);
    expect(await tiered.get(mw.keyOf(ask("long story"), fake))).toBeUndefined();
  });

  it("fails a reader whose own signal aborts, with an AbortError", async () => {
    fake.behaviour = { delayMs: 5 };
    const controller = new AbortController();
    const reading = drain(client.stream(ask("x"), { signal: controller.signal }));
    setTimeout(() => controller.abort(), 12);
    await expect(reading).rejects.toMatchObject({ code: "ABORTED" });
  });
});

describe("cacheMiddleware policy", () => {
  it("bypasses requests with a temperature above 0 by default", async () => {
    await client.generate(ask("hi", { temperature: 0.7 }));
    await client.generate(ask("hi", { temperature: 0.7 }));
    await drain(client.stream(ask("hi", { temperature: 0.7 })));
    expect(fake.calls).toBe(3);
    expect(mw.stats().bypassed).toBe(3);
  });

  it("caches temperature 0 and unset temperature", async () => {
    await client.generate(ask("hi", { temperature: 0 }));
    await client.generate(ask("hi", { temperature: 0 }));
    await client.generate(ask("hi"));
    await client.generate(ask("hi"));
    expect(fake.calls).toBe(2);
  });

  it("caches non-deterministic requests when allowed", async () => {
    build({ allowNonDeterministic: true });
    await client.generate(ask("hi", { temperature: 1 }));
    await client.generate(ask("hi", { temperature: 1 }));
    expect(fake.calls).toBe(1);
  });

  it("follows a custom policy for cacheability, storability, ttl and tags", async () => {
    build({
      policy: {
        cacheable: (request) => request.metadata?.cache !== "no",
        storable: (response) => !response.text.includes("secret"),
        ttlMs: () => 60_000,
        tags: (request) => [`user:${request.metadata?.user ?? "anon"}`],
      },
    });
    await client.generate(ask("a", { metadata: { cache: "no" } }));
    await client.generate(ask("a", { metadata: { cache: "no" } }));
    await client.generate(ask("a secret"));
    await client.generate(ask("a secret"));
    expect(fake.calls).toBe(4);
    await client.generate(ask("b", { metadata: { user: "u1" } }));
    await mw.flush();
    expect((await tiered.invalidateTag("user:u1")).l2).toBe(1);
    await client.generate(ask("b", { metadata: { user: "u1" } }));
    expect(fake.calls).toBe(6);
  });

  it("skips the cache for a call with metadata.cache false, and refreshes with 'refresh'", async () => {
    await client.generate(ask("hi"));
    await client.generate(ask("hi"), { metadata: { cache: false } });
    expect(fake.calls).toBe(2);
    const refreshed = await client.generate(ask("hi"), { metadata: { cache: "refresh" } });
    expect(refreshed.origin).toEqual({ type: "upstream" });
    expect(fake.calls).toBe(3);
    const hit = await client.generate(ask("hi"));
    expect(hit.id).toBe(refreshed.id);
  });

  it("keeps tenants apart with a namespace", async () => {
    const a = compose(fake, cacheMiddleware({ cache: tiered, namespace: "tenant-a" }));
    const b = compose(fake, cacheMiddleware({ cache: tiered, namespace: "tenant-b" }));
    await a.generate(ask("hi"));
    await b.generate(ask("hi"));
    expect(fake.calls).toBe(2);
    expect((await tiered.invalidatePrefix("tenant-a:")).l1).toBe(1);
  });
});

describe("cacheMiddleware over a compressed L1", () => {
  it("serves hot hits whose parts no consumer can change for the next caller", async () => {
    l1 = new SmartCache<CachedAnswer>({ maxEntries: 100, codec: compressedJsonCodec() });
    tiered = new TieredCache({ l1 });
    build();
    await client.generate(ask("hi"));
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await client.generate(ask("hi")));
    for (const hit of hits) {
      expect(hit.origin).toMatchObject({ type: "cache", level: "l1" });
      expect(() => hit.content.push({ type: "text", text: "tampered" })).toThrow(TypeError);
    }
    expect((await client.generate(ask("hi"))).content).toEqual([
      { type: "text", text: "Answer to: hi" },
    ]);
    expect(fake.calls).toBe(1);
  });
});

describe("cacheMiddleware robustness", () => {
  describe.each(poisonedAnswers())("a poisoned L2 entry: $name", ({ answer, path }) => {
    const envelope = (data: unknown) => JSON.stringify({ v: 1, at: 1, exp: null, tags: [], data });

    it("is a miss for generate, counted, reported once with its path, and replaced", async () => {
      const reports: CorruptEntryEvent[] = [];
      build({ onCorrupt: (event) => reports.push(event) });
      const key = mw.keyOf(ask("hi"), fake);
      await store.set(key, envelope(answer));
      const response = await client.generate(ask("hi"));
      expect(response.origin).toEqual({ type: "upstream" });
      expect(response.text).toBe("Answer to: hi");
      expect(mw.stats().corrupt).toBe(1);
      expect(reports).toEqual([
        { key, level: "l2", reason: expect.stringMatching(`^${path.replace(/[[\].]/g, "\\$&")}`) },
      ]);
      await mw.flush();
      expect((await client.generate(ask("hi"))).origin).toMatchObject({ type: "cache" });
      expect(fake.calls).toBe(1);
      expect(reports).toHaveLength(1);
    });

    it("is a miss for stream, and the fresh recording replaces it", async () => {
      const key = mw.keyOf(ask("hi"), fake);
      await store.set(key, envelope(answer));
      const events = await drain(client.stream(ask("hi")));
      expect(events.at(-1)).toMatchObject({ type: "finish" });
      expect(mw.stats().corrupt).toBe(1);
      await mw.flush();
      l1.clear();
      const replay = await drain(client.stream(ask("hi")));
      expect(replay[0]).toMatchObject({ type: "start", origin: { type: "cache", level: "l2" } });
      expect(fake.calls).toBe(1);
    });
  });

  it("serves a miss, counts it and replaces a corrupt entry", async () => {
    const key = mw.keyOf(ask("hi"), fake);
    await tiered.set(key, {
      v: 1,
      kind: "response",
      storedAt: 1,
      response: { nope: true },
    } as unknown as CachedAnswer);
    const response = await client.generate(ask("hi"));
    expect(response.origin).toEqual({ type: "upstream" });
    expect(mw.stats().corrupt).toBe(1);
    await mw.flush();
    expect((await client.generate(ask("hi"))).origin).toMatchObject({ type: "cache" });
  });

  it("treats a corrupt stream entry or an entry of another version as a miss", async () => {
    const key = mw.keyOf(ask("hi"), fake);
    await store.set(
      key,
      '{"v":1,"at":1,"exp":null,"tags":[],"data":{"v":1,"kind":"stream","storedAt":1,"events":[{"type":"text-delta"}]}}',
    );
    expect((await client.generate(ask("hi"))).origin).toEqual({ type: "upstream" });
    l1.clear();
    await store.set(
      key,
      '{"v":1,"at":1,"exp":null,"tags":[],"data":{"v":7,"kind":"stream","storedAt":1,"events":[]}}',
    );
    expect((await client.generate(ask("hi"))).origin).toEqual({ type: "upstream" });
    l1.clear();
    await store.set(
      key,
      '{"v":1,"at":1,"exp":null,"tags":[],"data":{"v":1,"kind":"other","storedAt":1}}',
    );
    expect((await client.generate(ask("hi"))).origin).toEqual({ type: "upstream" });
    expect(mw.stats().corrupt).toBe(3);
  });

  it("answers every request while L2 is down", async () => {
    const dead = new TieredCache<CachedAnswer>({
      l1: new SmartCache({ maxEntries: 10 }),
      l2: {
        name: "dead",
        get: () => Promise.reject(new Error("down")),
        set: () => Promise.reject(new Error("down")),
        delete: () => Promise.reject(new Error("down")),
        clear: () => Promise.reject(new Error("down")),
        close: async () => {},
      },
    });
    const c = compose(fake, cacheMiddleware({ cache: dead }));
    expect((await c.generate(ask("x"))).text).toBe("Answer to: x");
    expect((await c.generate(ask("x"))).origin).toMatchObject({ type: "cache", level: "l1" });
    expect(dead.stats().l2.errors).toBeGreaterThan(0);
  });

  it("works over a bare SmartCache", async () => {
    const smart = new SmartCache<CachedAnswer>({ maxEntries: 10 });
    const c = compose(fake, cacheMiddleware({ cache: smart }));
    await c.generate(ask("x"));
    expect((await c.generate(ask("x"))).origin).toMatchObject({ type: "cache", level: "l1" });
    smart.set(mw.keyOf(ask("y"), fake), { broken: true } as unknown as CachedAnswer);
    expect((await c.generate(ask("y"))).origin).toEqual({ type: "upstream" });
  });

  it("never puts credentials from options or provider options into keys or stored entries", async () => {
    const secret = "sk-proj-SECRETSECRETSECRET123";
    const request = ask("hi", { providerOptions: { fake: { apiKey: secret } } });
    await client.generate(request, {
      headers: { authorization: `Bearer ${secret}` },
      metadata: { token: secret },
    });
    await drain(
      client.stream(ask("hi2", { providerOptions: { fake: { apiKey: secret } } }), {
        headers: { "x-api-key": secret },
      }),
    );
    await mw.flush();
    const keys = [mw.keyOf(request, fake)];
    const stored = await Promise.all(
      [
        mw.keyOf(request, fake),
        mw.keyOf(ask("hi2", { providerOptions: { fake: { apiKey: secret } } }), fake),
      ].map((k) => store.get(k)),
    );
    expect(stored.every((s) => typeof s === "string")).toBe(true);
    for (const text of [...keys, ...stored]) expect(text).not.toContain(secret);
  });
});

describe("cacheMiddleware statistics", () => {
  it("counts hits per level, tokens, cost and latency saved", async () => {
    build({
      pricing: { "fake-model": { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 } },
    });
    fake.behaviour = { delayMs: 5 };
    await client.generate(ask("hi"));
    await client.generate(ask("hi"));
    await mw.flush();
    l1.clear();
    await client.generate(ask("hi"));
    const stats = mw.stats();
    expect(stats.hits).toEqual({ l1: 1, l2: 1 });
    expect(stats.misses).toBe(1);
    expect(stats.lookups).toBe(3);
    expect(stats.hitRate).toBeCloseTo(2 / 3);
    expect(stats.tokensSaved).toEqual({ input: 20, output: 10, total: 30 });
    expect(stats.costSaved).toBe(2 * (10 * 1 + 5 * 2));
    expect(stats.upstreamLatencyMs["fake-model"]).toBeGreaterThan(0);
    expect(stats.latencySavedMs).toBeGreaterThan(0);
    expect(stats.upstreamCalls).toBe(1);
  });

  it("reports a zero hit rate before any lookup", () => {
    expect(mw.stats().hitRate).toBe(0);
  });
});

describe("cacheMiddleware against misbehaving code", () => {
  it("answers, without storing, when a policy callback throws", async () => {
    build({
      policy: {
        ttlMs: () => {
          throw new Error("policy bug");
        },
      },
    });
    const response = await client.generate(ask("hi"));
    expect(response.text).toBe("Answer to: hi");
    expect(mw.stats()).toMatchObject({ stored: 0, notStored: 1 });
    await drain(client.stream(ask("hi")));
    expect(mw.stats()).toMatchObject({ stored: 0, notStored: 2 });
  });

  it("fails the call, and frees the key, when the client throws synchronously", async () => {
    const throwing: LLMClient = {
      provider: "sync",
      generate: () => {
        throw new Error("sync boom");
      },
      stream: () => {
        throw new Error("sync boom");
      },
    };
    const c = compose(throwing, cacheMiddleware({ cache: tiered }));
    await expect(c.generate(ask("x"))).rejects.toThrow("sync boom");
    await expect(c.generate(ask("x"))).rejects.toThrow("sync boom");
    await expect(drain(c.stream(ask("x")))).rejects.toThrow("sync boom");
  });
});
