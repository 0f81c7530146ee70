import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";

const redis = { type: "redis" as const, url: "redis://127.0.0.1:6379" };

describe("cache.l2.coalesce", () => {
  it("is on by default for a Redis L2, with bounded waits and relays", async () => {
    const config = await loadConfig({ env: {}, overrides: { cache: { l2: redis } } });
    const l2 = config.cache.l2;
    expect(l2.type === "redis" && l2.coalesce).toEqual({
      enabled: true,
      leaseMs: 10_000,
      maxWaitMs: 60_000,
      maxEvents: 10_000,
      maxEventBytes: 262_144,
    });
  });

  it("takes units and can be turned off", async () => {
    const config = await loadConfig({
      env: {},
      overrides: {
        cache: {
          l2: {
            ...redis,
            coalesce: { enabled: false, leaseMs: "5s", maxWaitMs: "2m", maxEventBytes: "64KiB" },
          },
        },
      },
    });
    const l2 = config.cache.l2;
    expect(l2.type === "redis" && l2.coalesce).toMatchObject({
      enabled: false,
      leaseMs: 5_000,
      maxWaitMs: 120_000,
      maxEventBytes: 65_536,
    });
  });

  it("names the bad key of a coalesce setting", async () => {
    for (const [coalesce, path] of [
      [{ leaseMs: 10 }, /cache\.l2\.coalesce\.leaseMs/],
      [{ maxWaitMs: "1ms" }, /cache\.l2\.coalesce\.maxWaitMs/],
      [{ maxEvents: 0 }, /cache\.l2\.coalesce\.maxEvents/],
      [{ maxEventBytes: 10 }, /cache\.l2\.coalesce\.maxEventBytes/],
      [{ leaseMS: 1_000 } as never, /cache\.l2\.coalesce/],
    ] as const) {
      await expect(
        loadConfig({ env: {}, overrides: { cache: { l2: { ...redis, coalesce } } } }),
      ).rejects.toThrow(path);
    }
  });

  it("is refused for a store other than Redis", async () => {
    await expect(
      loadConfig({
        env: {},
        overrides: { cache: { l2: { type: "sqlite", path: "x.db", coalesce: {} } as never } },
      }),
    ).rejects.toThrow(/coalesce/);
  });
});
