import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";

const sentinel = {
  name: "mymaster",
  sentinels: ["redis://:sentinel-pw@10.0.0.1:26379", "redis://10.0.0.2:26379"],
  password: "sentinel-secret",
};

describe("a Redis Sentinel deployment", () => {
  it("names the L2's master group and sentinels, with every credential kept secret", async () => {
    const config = await loadConfig({
      env: {},
      overrides: { cache: { l2: { type: "redis", sentinel, password: "master-pw" } } },
    });
    const l2 = config.cache.l2;
    if (l2.type !== "redis" || !l2.sentinel) throw new Error("expected a Sentinel L2");
    expect(l2.sentinel.name).toBe("mymaster");
    expect(l2.sentinel.sentinels.map((url) => url.reveal())).toEqual(sentinel.sentinels);
    expect(l2.sentinel.password?.reveal()).toBe("sentinel-secret");
    expect(l2.password?.reveal()).toBe("master-pw");
    const printed = `${JSON.stringify(config)} ${l2.sentinel.sentinels.join(" ")}`;
    for (const secret of ["sentinel-pw", "sentinel-secret", "master-pw"]) {
      expect(printed).not.toContain(secret);
    }
  });

  it("names the rate-limit store's Sentinel deployment the same way", async () => {
    const config = await loadConfig({
      env: {},
      overrides: { rateLimits: { store: { type: "redis", sentinel } } },
    });
    const store = config.rateLimits.store;
    if (store.type !== "redis" || !store.sentinel) throw new Error("expected a Sentinel store");
    expect(store.url).toBeUndefined();
    expect(store.sentinel.sentinels).toHaveLength(2);
    expect(store.prefix).toBe("llm:rl");
  });

  it("refuses a sentinel next to a url, pointing at the extra key", async () => {
    await expect(
      loadConfig({
        env: {},
        overrides: { cache: { l2: { type: "redis", url: "redis://a:6379", sentinel } } },
      }),
    ).rejects.toThrow(
      /cache\.l2\.sentinel.*only one of url, cluster, sentinel \(got url and sentinel\)/s,
    );
    await expect(
      loadConfig({ env: {}, overrides: { rateLimits: { store: { type: "redis" } } } }),
    ).rejects.toThrow(/rateLimits\.store\.url.*one of url, cluster, sentinel/s);
  });

  it("refuses a sentinel address that is not redis://host:port without echoing its password", async () => {
    const attempt = loadConfig({
      env: {},
      overrides: {
        cache: {
          l2: {
            type: "redis",
            sentinel: { name: "m", sentinels: ["https://:leaked-pw@host:26379/db"] },
          },
        },
      },
    });
    await expect(attempt).rejects.toThrow(
      /cache\.l2\.sentinel\.sentinels\.0.*redis:\/\/host:port/s,
    );
    await expect(attempt).rejects.not.toThrow(/leaked-pw/);
  });

  it("takes rediss:// sentinels, and refuses a mix of redis:// and rediss:// naming the entry", async () => {
    const tls = await loadConfig({
      env: {},
      overrides: {
        rateLimits: {
          store: {
            type: "redis",
            sentinel: { name: "m", sentinels: ["rediss://a", "rediss://b:1"] },
          },
        },
      },
    });
    const store = tls.rateLimits.store;
    if (store.type !== "redis" || !store.sentinel) throw new Error("expected a Sentinel store");
    expect(store.sentinel.sentinels.map((url) => url.reveal())).toEqual([
      "rediss://a",
      "rediss://b:1",
    ]);

    const sentinels = ["redis://a:26379", "rediss://:tls-pw@b:26379"];
    const mixed = loadConfig({
      env: {},
      overrides: { rateLimits: { store: { type: "redis", sentinel: { name: "m", sentinels } } } },
    });
    await expect(mixed).rejects.toThrow(
      /rateLimits\.store\.sentinel\.sentinels\.1.*all be redis:\/\/ or all be rediss:\/\//s,
    );
    await expect(mixed).rejects.not.toThrow(/tls-pw/);
  });

  it("refuses an empty sentinel list, a missing name and unknown keys", async () => {
    for (const bad of [
      { name: "m", sentinels: [] },
      { sentinels: ["redis://h:26379"] },
      { name: "m", sentinels: ["redis://h:26379"], master: "typo" },
    ]) {
      await expect(
        loadConfig({ env: {}, overrides: { cache: { l2: { type: "redis", sentinel: bad } } } }),
      ).rejects.toThrow(/cache\.l2\.sentinel/);
    }
  });
});
