import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GcraOperation, Rate } from "../src/gcra.js";
import type { RateLimitStore } from "../src/rate-limit-store.js";

// Budgets per hour, so one emission interval is a minute: no test's sequence of calls lasts
// long enough for a unit to come back, even on a loaded machine or through Sentinel.
const perHour: Rate = { limit: 60, periodMs: 3_600_000 };
const tokensPerHour: Rate = { limit: 6_000, periodMs: 3_600_000 };
const INTERVAL_MS = 60_000;
const take = (requests: number, tokens: number, maxWaitMs = 0): GcraOperation => ({
  kind: "take",
  maxWaitMs,
  dims: [
    { rate: perHour, units: requests },
    { rate: tokensPerHour, units: tokens },
  ],
});

/**
 * What every store must do alike (the in-process reference and the Redis
 * script). Stores keep their own (real) clock, so where a figure depends on
 * the time that passed between calls, the test measures that time too.
 */
export function describeRateLimitStore(
  name: string,
  open: () => Promise<{
    store: RateLimitStore;
    key: (suffix: string) => string;
    close(): Promise<void>;
  }>,
): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    type Opened = Awaited<ReturnType<typeof open>>;
    let opened: Promise<Opened>;
    // Opened in beforeAll, after the file's own beforeAll hooks (a server started there).
    beforeAll(() => {
      opened = open();
    });
    afterAll(async () => (await opened).close());

    it("grants a burst up to the limit, then refuses with the wait until the next unit", async () => {
      const { store, key } = await opened;
      const k = key("burst");
      const started = performance.now();
      for (let i = 0; i < 60; i++) expect((await store.apply(k, take(1, 10))).granted).toBe(true);
      const refused = await store.apply(k, take(1, 10));
      const elapsed = performance.now() - started;
      expect(refused.granted).toBe(false);
      // One emission interval after the burst began, less the time the burst took.
      expect(refused.waitMs).toBeGreaterThanOrEqual(INTERVAL_MS - elapsed - 2);
      expect(refused.waitMs).toBeLessThanOrEqual(INTERVAL_MS);
    });

    it("reserves places within maxWaitMs, each one emission interval after the last", async () => {
      const { store, key } = await opened;
      const k = key("queue");
      await store.apply(k, take(60, 0));
      const started = performance.now();
      const first = await store.apply(k, take(1, 0, 3 * INTERVAL_MS));
      const second = await store.apply(k, take(1, 0, 3 * INTERVAL_MS));
      const elapsed = performance.now() - started;
      expect(first.granted && second.granted).toBe(true);
      // The second place is one interval after the first; the clock moved on by at most `elapsed`.
      expect(second.waitMs - first.waitMs).toBeGreaterThanOrEqual(INTERVAL_MS - elapsed - 2);
      expect(second.waitMs - first.waitMs).toBeLessThanOrEqual(INTERVAL_MS + 2);
    });

    it("keeps budgets apart by key", async () => {
      const { store, key } = await opened;
      await store.apply(key("a"), take(60, 0));
      expect((await store.apply(key("a"), take(1, 0))).granted).toBe(false);
      expect((await store.apply(key("b"), take(1, 0))).granted).toBe(true);
    });

    it("refuses on the tokens dimension without spending requests", async () => {
      const { store, key } = await opened;
      const k = key("tokens");
      expect((await store.apply(k, take(1, 6_000))).granted).toBe(true);
      expect((await store.apply(k, take(1, 100))).granted).toBe(false);
      // 58 requests remain: the refused take spent none.
      for (let i = 0; i < 58; i++)
        await store.apply(k, { kind: "adjust", dims: [{ rate: perHour, units: 1 }] });
      expect((await store.apply(k, take(1, 0))).granted).toBe(true);
      expect((await store.apply(k, take(1, 0))).granted).toBe(false);
    });

    it("gives units back with a negative adjust", async () => {
      const { store, key } = await opened;
      const k = key("refund");
      await store.apply(k, take(0, 6_000));
      expect((await store.apply(k, take(0, 1_000))).granted).toBe(false);
      await store.apply(k, {
        kind: "adjust",
        dims: [{ units: 0 }, { rate: tokensPerHour, units: -2_000 }],
      });
      expect((await store.apply(k, take(0, 1_000))).granted).toBe(true);
    });

    it("tightens to what the provider says is left, and holds everyone back for a retry-after", async () => {
      const { store, key } = await opened;
      const k = key("floor");
      await store.apply(k, {
        kind: "floor",
        afterMs: 0,
        dims: [{ rate: perHour, units: 3 }, { units: 0 }],
      });
      for (let i = 0; i < 3; i++) expect((await store.apply(k, take(1, 0))).granted).toBe(true);
      expect((await store.apply(k, take(1, 0))).granted).toBe(false);

      const k2 = key("retry-after");
      await store.apply(k2, {
        kind: "floor",
        afterMs: 30_000,
        dims: [{ rate: perHour, units: 1 }, { units: 0 }],
      });
      const held = await store.apply(k2, take(1, 0));
      expect(held.granted).toBe(false);
      expect(held.waitMs).toBeGreaterThan(29_000);
      expect(held.waitMs).toBeLessThanOrEqual(30_000);
    });
  });
}
