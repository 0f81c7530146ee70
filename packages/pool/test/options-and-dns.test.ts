import type { LookupAddress } from "node:dns";
import { ConfigError } from "@llm/core";
import { afterEach, describe, expect, it } from "vitest";
import { createCachingLookup } from "../src/caching-lookup.js";
import { ConnectionPool, POOL_DEFAULTS } from "../src/index.js";
import { WaitHistogram } from "../src/wait-histogram.js";
import { jsonHandler, startServer, type TestServer } from "./servers.js";

let server: TestServer | undefined;
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
  await server?.close();
  server = undefined;
});

describe("options", () => {
  it("uses LLM-friendly defaults instead of undici's 300 s timeouts", () => {
    pool = new ConnectionPool();
    expect(pool.options).toMatchObject({
      connections: 32,
      pipelining: 1,
      connectTimeoutMs: 10_000,
      headersTimeoutMs: 600_000,
      bodyTimeoutMs: 300_000,
      maxQueue: 1_000,
      queueTimeoutMs: 60_000,
      allowH2: false,
      dnsTtlMs: 0,
      proxy: undefined,
    });
    expect(POOL_DEFAULTS.headersTimeoutMs).toBe(600_000);
  });

  it("lists every invalid option at once in a ConfigError", () => {
    const error = (() => {
      try {
        new ConnectionPool({
          connections: 0,
          pipelining: 1.5,
          headersTimeoutMs: Number.NaN,
          dns: { ttlMs: -1 },
          proxy: "nope" as "env",
        });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i) => i.path)).toEqual([
      "connections",
      "pipelining",
      "headersTimeoutMs",
      "dns.ttlMs",
      "proxy",
    ]);
  });

  it("accepts HTTP/2, DNS caching and proxy settings", () => {
    pool = new ConnectionPool({
      allowH2: true,
      maxConcurrentStreams: 50,
      dns: true,
      proxy: { httpProxy: "http://127.0.0.1:3128" },
      queueTimeoutMs: Number.POSITIVE_INFINITY,
    });
    expect(pool.options).toMatchObject({
      allowH2: true,
      maxConcurrentStreams: 50,
      dnsTtlMs: 30_000,
      proxy: { httpProxy: "http://127.0.0.1:3128" },
    });
    expect(new ConnectionPool({ dns: { ttlMs: 5 }, proxy: "env" }).options).toMatchObject({
      dnsTtlMs: 5,
      proxy: {},
    });
  });
});

describe("DNS caching", () => {
  it("resolves a host name once per TTL and serves requests through it", async () => {
    server = await startServer(jsonHandler);
    const port = new URL(server.origin).port;
    pool = new ConnectionPool({ dns: { ttlMs: 60_000 }, connections: 2 });
    const r = await pool.request({
      url: `http://localhost:${port}/dns`,
      method: "GET",
      headers: {},
    });
    expect(await r.json()).toMatchObject({ path: "/dns" });
  });

  it("caches answers per host, family and all-flag, and never caches failures", async () => {
    let calls = 0;
    const fake = ((
      host: string,
      options: { all?: boolean },
      cb: (e: NodeJS.ErrnoException | null, a: string | LookupAddress[], f?: number) => void,
    ) => {
      calls++;
      if (host === "bad") cb(Object.assign(new Error("nope"), { code: "ENOTFOUND" }), "");
      else if (options.all) cb(null, [{ address: "10.0.0.1", family: 4 }]);
      else cb(null, "10.0.0.1", 4);
    }) as never;
    const lookup = createCachingLookup(60_000, fake);
    const ask = (host: string, all: boolean) =>
      new Promise<unknown>((resolve) =>
        lookup(host, { all }, (e, a, f) => resolve(e ? e.code : [a, f])),
      );
    expect(await ask("api", false)).toEqual(["10.0.0.1", 4]);
    expect(await ask("api", false)).toEqual(["10.0.0.1", 4]);
    expect(await ask("api", true)).toEqual([[{ address: "10.0.0.1", family: 4 }], undefined]);
    expect(await ask("bad", false)).toBe("ENOTFOUND");
    expect(await ask("bad", false)).toBe("ENOTFOUND");
    expect(calls).toBe(4);
  });
});

describe("WaitHistogram", () => {
  it("reports nearest-rank percentiles over the most recent window", () => {
    const h = new WaitHistogram(4);
    expect(h.percentile(0.5)).toBe(0);
    for (const v of [100, 1, 2, 3, 4]) h.record(v);
    expect(h.percentile(0.5)).toBe(2);
    expect(h.percentile(0.99)).toBe(4);
    expect(h.percentile(0)).toBe(1);
  });
});
