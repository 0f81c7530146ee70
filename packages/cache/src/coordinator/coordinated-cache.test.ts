import {
  type ChatRequest,
  compose,
  type LLMClient,
  ProviderError,
  type StreamEvent,
} from "@llm/core";
import { beforeEach, describe, expect, it } from "vitest";
import { drain, FakeClient } from "../../test/fake-client.js";
import {
  type CacheFlightEvent,
  type CacheMiddleware,
  cacheMiddleware,
} from "../middleware/cache-middleware.js";
import type { CachedAnswer } from "../middleware/cached-answer.js";
import { SmartCache } from "../smart-cache/smart-cache.js";
import { MemoryStore } from "../store/memory-store.js";
import { waitUntil } from "../store/store-conformance.js";
import { TieredCache } from "../tiered/tiered-cache.js";
import type { FlightClaim, FlightCoordinator } from "./flight-coordinator.js";
import { MemoryFlightCoordinator } from "./memory-flight-coordinator.js";
import { StreamDivergedError } from "./stream-diverged-error.js";

const ask = (text: string): ChatRequest => ({ messages: [{ role: "user", content: text }] });

/** One "process": its own upstream, L1 and middleware, over the shared L2 and coordinator. */
interface Process {
  fake: FakeClient;
  mw: CacheMiddleware;
  client: LLMClient;
}

let shared: MemoryStore;
let coordinator: MemoryFlightCoordinator;

function process(
  options: {
    coordinator?: FlightCoordinator;
    fake?: FakeClient;
    onFlight?: (event: CacheFlightEvent) => void;
  } = {},
): Process {
  const fake = options.fake ?? new FakeClient();
  const cache = new TieredCache<CachedAnswer>({
    l1: new SmartCache<CachedAnswer>({ maxEntries: 100 }),
    l2: shared,
  });
  const mw = cacheMiddleware({
    cache,
    coordinator: options.coordinator ?? coordinator,
    ...(options.onFlight ? { onFlight: options.onFlight } : {}),
  });
  return { fake, mw, client: compose(fake, mw) };
}

const textOf = (events: StreamEvent[]) =>
  events.map((e) => (e.type === "text-delta" ? e.delta : "")).join("");

beforeEach(() => {
  shared = new MemoryStore();
  coordinator = new MemoryFlightCoordinator();
});

describe("cacheMiddleware with a flight coordinator", () => {
  it("makes one upstream call for identical generate calls in two processes", async () => {
    const a = process();
    const b = process();
    a.fake.behaviour = { delayMs: 30 };
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => a.client.generate(ask("q"))),
      ...Array.from({ length: 5 }, () => b.client.generate(ask("q"))),
    ]);
    expect(a.fake.calls + b.fake.calls).toBe(1);
    expect(new Set(answers.map((r) => r.text))).toEqual(new Set(["Answer to: q"]));
    expect(a.mw.stats().upstreamCalls + b.mw.stats().upstreamCalls).toBe(1);
    expect(b.mw.stats().coalesced).toBeGreaterThanOrEqual(4);
  });

  it("relays a leader's stream to another process's callers as it arrives", async () => {
    const a = process();
    const b = process();
    a.fake.behaviour = { delayMs: 5 };
    const [fromA, fromB] = await Promise.all([
      drain(a.client.stream(ask("stream me"))),
      drain(b.client.stream(ask("stream me"))),
    ]);
    expect(a.fake.calls + b.fake.calls).toBe(1);
    expect(textOf(fromB)).toBe("Answer to: stream me");
    expect(fromB.map((e) => e.type)).toEqual(fromA.map((e) => e.type));
  });

  it("serves a generate leader's stored answer to a stream follower", async () => {
    const a = process();
    const b = process();
    a.fake.behaviour = { delayMs: 20 };
    const [response, events] = await Promise.all([
      a.client.generate(ask("mixed")),
      drain(b.client.stream(ask("mixed"))),
    ]);
    expect(a.fake.calls + b.fake.calls).toBe(1);
    expect(textOf(events)).toBe(response.text);
    expect(events.at(-1)?.type).toBe("finish");
  });

  it("hands over when the leader fails mid-stream, showing no event twice", async () => {
    const a = process();
    const b = process();
    a.fake.behaviour = { delayMs: 5, fail: true, afterEvents: 3 };
    b.fake.behaviour = { delayMs: 5 };
    const leader = drain(a.client.stream(ask("hand over"))).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 8));
    const follower = await drain(b.client.stream(ask("hand over")));
    expect(await leader).toBeInstanceOf(ProviderError);
    expect(a.fake.calls).toBe(1);
    expect(b.fake.calls).toBe(1);
    expect(textOf(follower)).toBe("Answer to: hand over");
    expect(follower.filter((e) => e.type === "start")).toHaveLength(1);
    expect(follower.filter((e) => e.type === "finish")).toHaveLength(1);
  });

  it("fails a follower typed when the re-run answer diverges from what it showed", async () => {
    const a = process();
    const other = new FakeClient();
    other.answerFor = () => "Something else entirely";
    other.behaviour = { delayMs: 1 };
    const b = process({ fake: other });
    a.fake.behaviour = { delayMs: 5, fail: true, afterEvents: 3 };
    const leader = drain(a.client.stream(ask("diverge"))).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 8));
    const seen: StreamEvent[] = [];
    const outcome = await (async () => {
      for await (const event of b.client.stream(ask("diverge"))) seen.push(event);
    })().catch((error: unknown) => error);
    await leader;
    expect(outcome).toBeInstanceOf(StreamDivergedError);
    expect(textOf(seen)).toBe(textOf(seen.slice(0, 3)));
    expect(seen.length).toBeGreaterThan(1);
    // Its own call still runs to the end and is stored for whoever asks next.
    const key = b.mw.keyOf(ask("diverge"), other);
    await waitUntil(async () => (await shared.get(key)) !== undefined);
    expect(other.calls).toBe(1);
  });

  it("makes its own call when the coordinator is unreachable", async () => {
    const down: FlightCoordinator = {
      name: "down",
      claim: () => Promise.reject(new Error("connection refused")),
    };
    const a = process({ coordinator: down });
    expect((await a.client.generate(ask("alone"))).text).toBe("Answer to: alone");
    expect(textOf(await drain(a.client.stream(ask("alone too"))))).toBe("Answer to: alone too");
    expect(a.fake.calls).toBe(2);
  });

  it("reads the store when the claim says the answer was just stored, else calls", async () => {
    const a = process();
    // Process A finishes and stores between B's store read and B's claim.
    const racing: FlightCoordinator = {
      name: "racing",
      claim: async (): Promise<FlightClaim> => {
        await a.client.generate(ask("just done"));
        await a.mw.flush();
        return { role: "done" };
      },
    };
    const b = process({ coordinator: racing });
    expect((await b.client.generate(ask("just done"))).text).toBe("Answer to: just done");
    expect(a.fake.calls + b.fake.calls).toBe(1);
    // "done" with nothing in the store (evicted meanwhile): B makes its own call.
    const c = process({ coordinator: { name: "empty", claim: async () => ({ role: "done" }) } });
    expect(textOf(await drain(c.client.stream(ask("gone"))))).toBe("Answer to: gone");
    expect(c.fake.calls).toBe(1);
  });

  it("skips the coordinator for refresh calls", async () => {
    let claims = 0;
    const counting: FlightCoordinator = {
      name: "counting",
      claim: (key) => {
        claims++;
        return coordinator.claim(key);
      },
    };
    const a = process({ coordinator: counting });
    await a.client.generate(ask("fresh"), { metadata: { cache: "refresh" } });
    expect(claims).toBe(0);
    await a.client.generate(ask("other"));
    expect(claims).toBe(1);
  });

  it("skips the coordinator when there is no shared L2 to read answers from", async () => {
    let claims = 0;
    const counting: FlightCoordinator = {
      name: "counting",
      claim: (key) => {
        claims++;
        return coordinator.claim(key);
      },
    };
    const fake = new FakeClient();
    const mw = cacheMiddleware({
      cache: new SmartCache<CachedAnswer>({ maxEntries: 10 }),
      coordinator: counting,
    });
    await compose(fake, mw).generate(ask("l1 only"));
    expect(claims).toBe(0);
    expect(fake.calls).toBe(1);
  });

  it("lets a follower make its own call when the leader's answer is not storable", async () => {
    const a = process();
    const b = process();
    a.fake.behaviour = { delayMs: 20, finishReason: "error" };
    await Promise.all([a.client.generate(ask("long")), b.client.generate(ask("long"))]);
    expect(a.fake.calls).toBe(1);
    expect(b.fake.calls).toBe(1);
  });
});

describe("cross-process flight statistics", () => {
  const NO_FALL_BACK = { unavailable: 0, timeout: 0, corrupt: 0, notStored: 0 };

  it("counts the leader, and the follower it served with how long it waited", async () => {
    const events: CacheFlightEvent[] = [];
    const a = process({ onFlight: (event) => events.push(event) });
    const b = process({ onFlight: (event) => events.push(event) });
    a.fake.behaviour = { delayMs: 30 };
    await Promise.all([a.client.generate(ask("q")), b.client.generate(ask("q"))]);
    expect(a.mw.stats().flights).toMatchObject({ claims: 1, led: 1, followed: 0, served: 0 });
    const follower = b.mw.stats().flights;
    expect(follower).toMatchObject({ claims: 1, led: 0, followed: 1, served: 1, handedOver: 0 });
    expect(follower.fellBack).toEqual(NO_FALL_BACK);
    expect(follower.followWaitMs.count).toBe(1);
    expect(follower.followWaitMs.max).toBe(follower.followWaitMs.total);
    const key = a.mw.keyOf(ask("q"), a.fake);
    expect(events.map(({ outcome, key: k }) => [outcome, k])).toEqual(
      expect.arrayContaining([
        ["led", key],
        ["served", key],
      ]),
    );
    expect(events.find((e) => e.outcome === "served")?.waitMs).toBe(follower.followWaitMs.total);
    expect(events.find((e) => e.outcome === "led")?.waitMs).toBeUndefined();
  });

  it("counts a hand-over when the leader fails and the follower takes its lease", async () => {
    const a = process();
    const b = process();
    a.fake.behaviour = { delayMs: 5, fail: true, afterEvents: 3 };
    b.fake.behaviour = { delayMs: 5 };
    const leader = drain(a.client.stream(ask("hand over"))).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 8));
    await drain(b.client.stream(ask("hand over")));
    await leader;
    expect(b.mw.stats().flights).toMatchObject({ followed: 1, handedOver: 1, served: 0 });
    expect(b.mw.stats().flights.followWaitMs.count).toBe(1);
  });

  it("counts own calls by reason: unreachable, timed out, nothing stored", async () => {
    const events: CacheFlightEvent[] = [];
    const down = process({
      coordinator: { name: "down", claim: () => Promise.reject(new Error("refused")) },
      onFlight: (event) => events.push(event),
    });
    await down.client.generate(ask("alone"));
    expect(down.mw.stats().flights.fellBack).toEqual({ ...NO_FALL_BACK, unavailable: 1 });
    expect(events).toEqual([
      { key: down.mw.keyOf(ask("alone"), down.fake), outcome: "fell-back", reason: "unavailable" },
    ]);

    const empty = process({
      coordinator: { name: "empty", claim: async () => ({ role: "done" }) },
    });
    await empty.client.generate(ask("gone"));
    expect(empty.mw.stats().flights.fellBack).toEqual({ ...NO_FALL_BACK, notStored: 1 });

    const impatient = new MemoryFlightCoordinator({ maxWaitMs: 5 });
    const a = process({ coordinator: impatient });
    const b = process({ coordinator: impatient });
    a.fake.behaviour = { delayMs: 60 };
    await Promise.all([a.client.generate(ask("slow")), b.client.generate(ask("slow"))]);
    expect(b.mw.stats().flights).toMatchObject({ followed: 1, served: 0 });
    expect(b.mw.stats().flights.fellBack).toEqual({ ...NO_FALL_BACK, timeout: 1 });
  });

  it("counts nothing without a coordinator", async () => {
    const fake = new FakeClient();
    const mw = cacheMiddleware({ cache: new SmartCache<CachedAnswer>({ maxEntries: 10 }) });
    await compose(fake, mw).generate(ask("plain"));
    expect(mw.stats().flights).toEqual({
      claims: 0,
      led: 0,
      followed: 0,
      served: 0,
      handedOver: 0,
      fellBack: NO_FALL_BACK,
      followWaitMs: { count: 0, total: 0, max: 0 },
    });
  });
});
