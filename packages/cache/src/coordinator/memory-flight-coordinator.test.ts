import { AbortError, type StreamEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import type { FlightClaim, FlightLease, FollowSignal } from "./flight-coordinator.js";
import { MemoryFlightCoordinator } from "./memory-flight-coordinator.js";

const text = (delta: string): StreamEvent => ({ type: "text-delta", delta });

function leaseOf(claim: FlightClaim): FlightLease {
  if (claim.role !== "leader") throw new Error(`expected leader, got ${claim.role}`);
  return claim.lease;
}

async function collect(claim: FlightClaim, signal?: AbortSignal): Promise<FollowSignal[]> {
  if (claim.role !== "follower") throw new Error(`expected follower, got ${claim.role}`);
  const out: FollowSignal[] = [];
  for await (const step of claim.follower.watch(signal)) out.push(step);
  return out;
}

describe("MemoryFlightCoordinator", () => {
  it("replays a leader's events from the start to a late follower, then its end", async () => {
    const coordinator = new MemoryFlightCoordinator();
    const lease = leaseOf(await coordinator.claim("k"));
    lease.publish(text("a"));
    const follower = collect(await coordinator.claim("k"));
    lease.publish(text("b"));
    await lease.complete(true);
    expect(await follower).toEqual([
      { type: "event", event: text("a") },
      { type: "event", event: text("b") },
      { type: "done", stored: true },
    ]);
    expect(lease.held).toBe(false);
    expect((await coordinator.claim("k")).role).toBe("done");
  });

  it("stops relaying past maxEvents and says so", async () => {
    const coordinator = new MemoryFlightCoordinator({ maxEvents: 1 });
    const lease = leaseOf(await coordinator.claim("k"));
    const follower = collect(await coordinator.claim("k"));
    lease.publish(text("a"));
    lease.publish(text("b"));
    lease.publish(text("c"));
    await lease.complete(false);
    expect((await follower).map((s) => s.type)).toEqual(["event", "truncated", "done"]);
    expect((await coordinator.claim("k")).role).toBe("leader");
  });

  it("hands the lease to a follower when the leader abandons, and fences the old leader", async () => {
    const coordinator = new MemoryFlightCoordinator();
    const first = leaseOf(await coordinator.claim("k"));
    const one = collect(await coordinator.claim("k"));
    const two = collect(await coordinator.claim("k"));
    first.publish(text("a"));
    await first.abandon();
    // The first follower to read the abandon takes over; the other follows it.
    const [takeover, rest] = await Promise.race([
      one.then((steps) => [steps, two] as const),
      two.then((steps) => [steps, one] as const),
    ]);
    const second = (takeover.at(-1) as { lease: FlightLease }).lease;
    // The old leader can no longer publish over the new one.
    first.publish(text("stale"));
    await first.complete(true);
    second.publish(text("fresh"));
    await second.complete(true);
    const other = await rest;
    expect(other.map((s) => s.type)).toEqual(["event", "restart", "event", "done"]);
    expect(other[2]).toEqual({ type: "event", event: text("fresh") });
  });

  it("bounds a follower's wait", async () => {
    const coordinator = new MemoryFlightCoordinator({ maxWaitMs: 20 });
    leaseOf(await coordinator.claim("k"));
    expect(await collect(await coordinator.claim("k"))).toEqual([
      { type: "give-up", reason: "timeout" },
    ]);
  });

  it("stops a follower whose callers went away", async () => {
    const coordinator = new MemoryFlightCoordinator();
    leaseOf(await coordinator.claim("k"));
    const controller = new AbortController();
    const follower = collect(await coordinator.claim("k"), controller.signal);
    controller.abort();
    await expect(follower).rejects.toBeInstanceOf(AbortError);
  });
});
