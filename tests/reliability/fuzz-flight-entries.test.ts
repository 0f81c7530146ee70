import type { FlightClaim, FollowSignal } from "@llm/cache";
import { RedisFlightCoordinator } from "@llm/cache-redis";
import { streamEventProblem } from "@llm/core";
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzParams } from "./support/fuzz.js";
import { mutatedJson } from "./support/mutate.js";
import { freePort, PrivateRedis } from "./support/redis-server.js";
import { expectTypedFailure } from "./support/typed-failure.js";
import { watchUnhandled } from "./support/unhandled.js";

const RUNS = 40;
const TOKEN_FIELD = "k";

/** Real events of a stream, whose JSON a damaged log entry carries. */
const EVENTS: unknown[] = [
  { type: "text-delta", delta: "hi" },
  { type: "tool-call", toolCall: { id: "c1", name: "f", arguments: { a: 1 } } },
  {
    type: "finish",
    finishReason: "stop",
    usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
  },
];

/** How a flight's keys get damaged behind the coordinators' backs. */
type Damage =
  | { kind: "entry"; fields: string[]; ownToken: boolean }
  | { kind: "log-type" | "lease-type"; type: "string" | "hash" | "list" | "set" };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({
    kind: fc.constant("entry" as const),
    ownToken: fc.boolean(),
    fields: fc.oneof(
      fc
        .constantFrom(...EVENTS)
        .chain(mutatedJson)
        .map((event) => ["t", "e", TOKEN_FIELD, "", "d", JSON.stringify(event) ?? "null"]),
      fc
        .array(
          fc.tuple(
            fc.constantFrom("t", "k", "d", "s", "x"),
            fc.oneof(
              fc.constantFrom("s", "e", "o", "d", "a", "1", ""),
              fc.string({ maxLength: 20 }),
            ),
          ),
          { minLength: 1, maxLength: 4 },
        )
        .map((pairs) => pairs.flat()),
    ),
  }),
  fc.record({
    kind: fc.constantFrom("log-type" as const, "lease-type" as const),
    type: fc.constantFrom("string" as const, "hash" as const, "list" as const, "set" as const),
  }),
);

async function collect(claim: FlightClaim): Promise<FollowSignal[]> {
  if (claim.role !== "follower") return [];
  const out: FollowSignal[] = [];
  for await (const step of claim.follower.watch()) out.push(step);
  return out;
}

describe("flight-coordinator entries of the wrong type or shape in Redis", () => {
  let redis: PrivateRedis;
  let raw: Redis;
  let leader: RedisFlightCoordinator;
  let follower: RedisFlightCoordinator;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    raw = new Redis(redis.url);
    const options = { url: redis.url, namespace: "fuzz-flight", blockMs: 30, leaseMs: 2_000 };
    leader = new RedisFlightCoordinator(options);
    // The leader stays alive and silent after the damage: the follower's wait is what ends it.
    follower = new RedisFlightCoordinator({
      ...options,
      maxWaitMs: 200,
      onError: () => undefined,
    });
    await Promise.all([leader.ready(), follower.ready()]);
  });

  afterAll(async () => {
    await leader?.close();
    await follower?.close();
    raw?.disconnect();
    await redis?.kill();
  });

  it("a follower relays only valid events and ends (done, give-up or takeover); a claim fails typed at worst, never the process", async () => {
    const unhandled = watchUnhandled();
    let n = 0;
    const seen = { claimFailed: 0, gaveUp: 0 };
    try {
      await fc.assert(
        fc.asyncProperty(damage, async (how) => {
          const key = `k${n++}`;
          const { lease, log } = leader.keysOf(key);
          const claim = await leader.claim(key);
          if (claim.role !== "leader") throw new Error(`expected to lead ${key}`);
          const token = await raw.get(lease);
          if (how.kind === "entry") {
            const fields = how.fields.map((f, i) =>
              how.ownToken && how.fields[i - 1] === TOKEN_FIELD ? (token ?? f) : f,
            );
            await raw.xadd(log, "*", ...fields);
          } else {
            const target = how.kind === "log-type" ? log : lease;
            await raw.del(target);
            if (how.type === "string") await raw.set(target, "x");
            else if (how.type === "hash") await raw.hset(target, "f", "x");
            else if (how.type === "list") await raw.rpush(target, "x");
            else await raw.sadd(target, "x");
          }
          let signals: FollowSignal[] = [];
          try {
            signals = await collect(await follower.claim(key));
          } catch (error) {
            // A claim may fail (Redis refuses a key of another type): typed, and the caller runs the call itself.
            expectTypedFailure(error);
            seen.claimFailed++;
          }
          if (signals.at(-1)?.type === "give-up") seen.gaveUp++;
          for (const signal of signals) {
            if (signal.type === "event") expect(streamEventProblem(signal.event)).toBeUndefined();
          }
          const last = signals.at(-1);
          if (last !== undefined) expect(["done", "give-up", "takeover"]).toContain(last.type);
          if (last?.type === "takeover") await last.lease.abandon();
          await claim.lease.abandon().catch(() => undefined);
        }),
        fuzzParams(RUNS),
      );
    } finally {
      unhandled.stop();
    }
    expect(unhandled.errors).toEqual([]);
    // Both kinds of damage were met: keys of another type and entries a follower refuses.
    expect(seen.claimFailed).toBeGreaterThan(0);
    expect(seen.gaveUp).toBeGreaterThan(0);
  });
});
