import type { FlightClaim, FlightLease, FollowSignal } from "@llm/cache";
import { ConfigError, type StreamEvent } from "@llm/core";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import {
  dropNamespace,
  freePort,
  SHARED_REDIS,
  startPrivateRedis,
  stopPrivateRedis,
  uniqueNamespace,
} from "../test/redis-helpers.js";
import { FlightEntryCorruptError } from "./flight-error.js";
import {
  RedisFlightCoordinator,
  type RedisFlightCoordinatorOptions,
} from "./redis-flight-coordinator.js";
import { RedisStoreError } from "./redis-store-error.js";

const namespaces: string[] = [];
const opened: RedisFlightCoordinator[] = [];
const raw = new Redis(SHARED_REDIS);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  for (const ns of namespaces) await dropNamespace(ns);
  raw.disconnect();
});

function namespace(label: string): string {
  const ns = uniqueNamespace(label);
  namespaces.push(ns);
  return ns;
}

async function open(
  ns: string,
  options: Partial<RedisFlightCoordinatorOptions> = {},
): Promise<RedisFlightCoordinator> {
  const coordinator = new RedisFlightCoordinator({
    url: SHARED_REDIS,
    namespace: ns,
    blockMs: 50,
    ...options,
  });
  opened.push(coordinator);
  await coordinator.ready();
  return coordinator;
}

const text = (delta: string): StreamEvent => ({ type: "text-delta", delta });

function leaseOf(claim: FlightClaim): FlightLease {
  if (claim.role !== "leader") throw new Error(`expected leader, got ${claim.role}`);
  return claim.lease;
}

async function collect(claim: FlightClaim): Promise<FollowSignal[]> {
  if (claim.role !== "follower") throw new Error(`expected follower, got ${claim.role}`);
  const out: FollowSignal[] = [];
  for await (const step of claim.follower.watch()) out.push(step);
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("RedisFlightCoordinator", () => {
  it("replays a leader's events from the start to a late follower, then its end", async () => {
    const ns = namespace("flight-replay");
    const a = await open(ns);
    const b = await open(ns);
    const lease = leaseOf(await a.claim("k"));
    lease.publish(text("one"));
    lease.publish({ type: "error", error: new ConfigError("never relayed") });
    await sleep(20);
    const follower = collect(await b.claim("k"));
    lease.publish(text("two"));
    await lease.complete(true);
    expect(await follower).toEqual([
      { type: "event", event: text("one") },
      { type: "event", event: text("two") },
      { type: "done", stored: true },
    ]);
    // The lease is gone; a process that just missed the flight reads the store.
    expect(await raw.exists(a.keysOf("k").lease)).toBe(0);
    expect((await b.claim("k")).role).toBe("done");
    expect(a.stats().led).toBe(1);
    expect(b.stats()).toMatchObject({ followed: 1, recentlyDone: 1 });
  });

  it("lets a new leader claim a key whose last flight stored nothing", async () => {
    const ns = namespace("flight-unstored");
    const a = await open(ns);
    await leaseOf(await a.claim("k")).complete(false);
    expect((await a.claim("k")).role).toBe("leader");
  });

  it("fences a stale leader: it cannot publish or finish over the leader that replaced it", async () => {
    const ns = namespace("flight-fence");
    const a = await open(ns);
    const b = await open(ns);
    const stale = leaseOf(await a.claim("k"));
    // The lease expires under a stalled leader (as PX would), and B claims the key.
    await raw.del(a.keysOf("k").lease);
    const fresh = leaseOf(await b.claim("k"));
    stale.publish(text("stale"));
    fresh.publish(text("fresh"));
    await stale.complete(true);
    const c = await open(ns);
    const follower = collect(await c.claim("k"));
    await sleep(20);
    await fresh.complete(true);
    expect(await follower).toEqual([
      { type: "event", event: text("fresh") },
      { type: "done", stored: true },
    ]);
    expect(stale.held).toBe(false);
  });

  it("reports a lease lost when a publish finds another leader's token", async () => {
    const ns = namespace("flight-lost");
    const a = await open(ns);
    const lease = leaseOf(await a.claim("k"));
    await raw.set(a.keysOf("k").lease, "somebody-else");
    lease.publish(text("x"));
    for (let i = 0; i < 50 && lease.held; i++) await sleep(10);
    expect(lease.held).toBe(false);
    expect(a.stats().leasesLost).toBe(1);
  });

  it("renews the lease while the leader works", async () => {
    const ns = namespace("flight-renew");
    const a = await open(ns, { leaseMs: 150 });
    const lease = leaseOf(await a.claim("k"));
    await sleep(500);
    expect(lease.held).toBe(true);
    expect(await raw.get(a.keysOf("k").lease)).not.toBeNull();
    expect((await (await open(ns)).claim("k")).role).toBe("follower");
    await lease.complete(true);
  });

  it("bounds a follower's wait", async () => {
    const ns = namespace("flight-wait");
    const a = await open(ns);
    const b = await open(ns, { maxWaitMs: 150 });
    const lease = leaseOf(await a.claim("k"));
    expect(await collect(await b.claim("k"))).toEqual([{ type: "give-up", reason: "timeout" }]);
    expect(b.stats().gaveUp.timeout).toBe(1);
    await lease.abandon();
  });

  it("hands over to a follower once a dead leader's lease expires", async () => {
    const ns = namespace("flight-expire");
    const dead = await open(ns, { leaseMs: 200 });
    const b = await open(ns);
    const c = await open(ns);
    const first = leaseOf(await dead.claim("k"));
    first.publish(text("partial"));
    // The process dies: no renewal, no done.
    await dead.close();
    const [one, two] = [collect(await b.claim("k")), collect(await c.claim("k"))];
    const [takeover, rest] = await Promise.race([
      one.then((steps) => [steps, two] as const),
      two.then((steps) => [steps, one] as const),
    ]);
    expect(takeover.map((s) => s.type)).toEqual(["event", "takeover"]);
    const next = (takeover.at(-1) as { lease: FlightLease }).lease;
    next.publish(text("partial"));
    next.publish(text(" and the rest"));
    await next.complete(true);
    expect(await rest).toEqual([
      { type: "event", event: text("partial") },
      { type: "restart" },
      { type: "event", event: text("partial") },
      { type: "event", event: text(" and the rest") },
      { type: "done", stored: true },
    ]);
    expect(b.stats().tookOver + c.stats().tookOver).toBe(1);
  });

  it("hands over at once when the leader abandons", async () => {
    const ns = namespace("flight-abandon");
    const a = await open(ns, { leaseMs: 60_000 });
    const b = await open(ns);
    const lease = leaseOf(await a.claim("k"));
    const follower = collect(await b.claim("k"));
    await sleep(20);
    await lease.abandon();
    const steps = await follower;
    expect(steps.map((s) => s.type)).toEqual(["takeover"]);
    await (steps[0] as { lease: FlightLease }).lease.complete(false);
  });

  it("stops relaying past maxEvents or maxEventBytes and says so", async () => {
    const ns = namespace("flight-bounds");
    const a = await open(ns, { maxEvents: 2, maxEventBytes: 100 });
    const b = await open(ns);
    const lease = leaseOf(await a.claim("k"));
    const follower = collect(await b.claim("k"));
    lease.publish(text("ok"));
    lease.publish(text("x".repeat(200)));
    lease.publish(text("ignored"));
    await lease.complete(true);
    expect((await follower).map((s) => s.type)).toEqual(["event", "truncated", "done"]);
    expect(await raw.xlen(a.keysOf("k").log)).toBe(4);
  });

  it("relays no more than its own maxEvents of a log that holds more", async () => {
    const ns = namespace("flight-follower-bound");
    const a = await open(ns);
    const b = await open(ns, { maxEvents: 2 });
    const lease = leaseOf(await a.claim("k"));
    const follower = collect(await b.claim("k"));
    for (const delta of ["1", "2", "3", "4", "5"]) lease.publish(text(delta));
    await lease.complete(true);
    expect(await follower).toEqual([
      { type: "event", event: text("1") },
      { type: "event", event: text("2") },
      { type: "truncated" },
      { type: "done", stored: true },
    ]);
  });

  it("gives up, reporting it, on a log entry that is not one of ours", async () => {
    const ns = namespace("flight-corrupt");
    const errors: unknown[] = [];
    const a = await open(ns);
    const b = await open(ns, { onError: (error) => errors.push(error) });
    const lease = leaseOf(await a.claim("k"));
    await raw.xadd(a.keysOf("k").log, "*", "t", "e", "k", "forged", "d", "{not json");
    expect(await collect(await b.claim("k"))).toEqual([{ type: "give-up", reason: "corrupt" }]);
    expect(errors[0]).toBeInstanceOf(FlightEntryCorruptError);
    expect(String(errors[0])).not.toContain("{not json");
    await lease.abandon();
  });

  // Found by tests/reliability/fuzz-flight-entries: ioredis's raw ReplyError escaped from claim().
  it("fails a claim with a RedisStoreError when the flight's keys hold another Redis type", async () => {
    const ns = namespace("flight-wrongtype");
    const a = await open(ns);
    await raw.hset(a.keysOf("wt").log, "f", "x");
    const error = await a.claim("wt").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({ operation: "flight claim", retryable: false });
    expect(String(error)).toMatch(/WRONGTYPE/);
  });

  it("hands onError a RedisStoreError when a follower's leader check meets another Redis type", async () => {
    const ns = namespace("flight-wrongtype-leader");
    const errors: unknown[] = [];
    const a = await open(ns);
    const b = await open(ns, { onError: (error) => errors.push(error) });
    const lease = leaseOf(await a.claim("k"));
    const claim = await b.claim("k");
    // The lease key becomes a hash while b follows: its quiet-time leader check fails.
    await raw.del(a.keysOf("k").lease);
    await raw.hset(a.keysOf("k").lease, "f", "x");
    expect(await collect(claim)).toEqual([{ type: "give-up", reason: "unavailable" }]);
    expect(errors[0]).toBeInstanceOf(RedisStoreError);
    expect(errors[0]).toMatchObject({ operation: "flight leader" });
    await lease.abandon().catch(() => undefined);
  });

  it("fails a claim fast when Redis is unreachable", async () => {
    const down = new RedisFlightCoordinator({
      url: "redis://127.0.0.1:1",
      namespace: "down",
      onError: () => undefined,
    });
    await expect(down.claim("k")).rejects.toThrow();
    await down.close();
    await expect(down.claim("k")).rejects.toThrow(/closed/);
  });

  it("refuses bad settings, namespaces and keys", async () => {
    expect(() => new RedisFlightCoordinator({ namespace: "x" })).toThrow(ConfigError);
    expect(() => new RedisFlightCoordinator({ url: SHARED_REDIS, namespace: "a{b}" })).toThrow(
      /namespace/,
    );
    expect(
      () => new RedisFlightCoordinator({ url: SHARED_REDIS, namespace: "ok", leaseMs: 0 }),
    ).toThrow(/leaseMs/);
    const ok = await open(namespace("flight-key"));
    await expect(ok.claim("x".repeat(2_000))).rejects.toThrow(ConfigError);
  });
});

describe("RedisFlightCoordinator's followers", () => {
  it("share a bounded set of blocking connections, waiting for a free one within their bound", async () => {
    const ns = namespace("flight-pool");
    const a = await open(ns);
    const b = await open(ns, { maxBlockingConnections: 1, maxWaitMs: 400 });
    const first = leaseOf(await a.claim("one"));
    const second = leaseOf(await a.claim("two"));
    const third = leaseOf(await a.claim("three"));
    const one = collect(await b.claim("one"));
    const two = collect(await b.claim("two"));
    await sleep(30);
    // "one" holds the only connection; "two" waits for it.
    await first.complete(true);
    expect(await one).toEqual([{ type: "done", stored: true }]);
    await second.complete(false);
    expect(await two).toEqual([{ type: "done", stored: false }]);
    // While "three" holds the only connection, a follower of "four" waits, until its caller goes.
    const fourth = leaseOf(await a.claim("four"));
    const holding = collect(await b.claim("three"));
    const starving = await b.claim("four");
    if (starving.role !== "follower") throw new Error("expected to follow");
    const controller = new AbortController();
    const starved = (async () => {
      for await (const _ of starving.follower.watch(controller.signal)) {
        // it never gets a connection
      }
    })();
    await sleep(30);
    controller.abort();
    await expect(starved).rejects.toMatchObject({ code: "ABORTED" });
    await fourth.abandon();
    await third.complete(true);
    expect((await holding).at(-1)).toEqual({ type: "done", stored: true });
  });

  it("throw AbortError when their callers go away, and leave a fresh connection for the next", async () => {
    const ns = namespace("flight-abort");
    const a = await open(ns);
    const b = await open(ns, { maxBlockingConnections: 1, blockMs: 5_000 });
    const lease = leaseOf(await a.claim("k"));
    const controller = new AbortController();
    const claim = await b.claim("k");
    if (claim.role !== "follower") throw new Error("expected to follow");
    const steps = (async () => {
      for await (const _ of claim.follower.watch(controller.signal)) {
        // nothing arrives before the abort
      }
    })();
    await sleep(50);
    controller.abort();
    await expect(steps).rejects.toMatchObject({ code: "ABORTED" });
    // The blocked connection was dropped, not reused: the next follower still reads.
    const next = collect(await b.claim("k"));
    await sleep(30);
    await lease.complete(true);
    expect(await next).toEqual([{ type: "done", stored: true }]);
  });

  it("give up as unavailable when Redis goes away mid-follow", async () => {
    const port = await freePort();
    const server = await startPrivateRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const errors: unknown[] = [];
    const a = new RedisFlightCoordinator({ url, namespace: "private", onError: () => undefined });
    const b = new RedisFlightCoordinator({
      url,
      namespace: "private",
      blockMs: 100,
      onError: (error) => errors.push(error),
    });
    try {
      await Promise.all([a.ready(), b.ready()]);
      leaseOf(await a.claim("k"));
      const follower = collect(await b.claim("k"));
      await sleep(50);
      await stopPrivateRedis(server);
      expect(await follower).toEqual([{ type: "give-up", reason: "unavailable" }]);
      expect(b.stats().gaveUp.unavailable).toBe(1);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await stopPrivateRedis(server);
      await a.close();
      await b.close();
    }
  });
});
