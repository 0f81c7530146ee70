import { describe, expect, it } from "vitest";
import { StoreGuard } from "./store-guard.js";

describe("StoreGuard back-off", () => {
  it("probes a store that stayed down for minutes again within 5 s by default", async () => {
    let now = 0;
    const guard = new StoreGuard({ failureThreshold: 1, now: () => now });
    const fail = () => Promise.reject(new Error("down"));
    await guard.run(fail);
    // Ten minutes of failed probes: the pause doubles, but never past the cap.
    const pauses: number[] = [];
    while (now < 600_000) {
      const openedAt = now;
      let outcome: Awaited<ReturnType<typeof guard.run>>;
      do {
        now += 100;
        outcome = await guard.run(fail);
      } while (!outcome.ok && outcome.reason === "open");
      pauses.push(now - openedAt);
    }
    expect(Math.max(...pauses)).toBe(5_000);
    // The store is back: the next probe, at most 5 s away, closes the circuit.
    now += 5_000;
    const outcome = await guard.run(() => Promise.resolve("v"));
    expect(outcome).toEqual({ ok: true, value: "v" });
    expect(guard.state).toBe("closed");
  });
});
