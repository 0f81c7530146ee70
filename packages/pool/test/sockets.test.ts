import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool } from "../src/index.js";
import { jsonHandler, startServer, type TestServer } from "./servers.js";

let server: TestServer | undefined;
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
  await server?.close();
});

describe("connection reuse", () => {
  it("serves 1,000 concurrent requests over at most 8 sockets", async () => {
    server = await startServer(jsonHandler);
    pool = new ConnectionPool({ connections: 8, maxQueue: 1_000 });
    const bodies = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        pool
          ?.request({ url: server?.url(`/r/${i}`) ?? "", method: "GET", headers: {} })
          .then((r) => r.json() as Promise<{ path: string }>),
      ),
    );
    expect(bodies).toHaveLength(1_000);
    expect(bodies[999]?.path).toBe("/r/999");
    expect(server.requests).toBe(1_000);
    expect(server.connections).toBeLessThanOrEqual(8);
    const stats = pool.stats(server.origin);
    expect(stats?.connectionsOpened).toBe(server.connections);
    expect(stats?.requestsServed).toBe(1_000);
    expect(stats?.reuseRatio).toBeGreaterThanOrEqual(0.99);
  });

  it("reuses one kept-alive socket for sequential requests", async () => {
    server = await startServer(jsonHandler);
    pool = new ConnectionPool({ connections: 4 });
    for (let i = 0; i < 20; i++) {
      const r = await pool.request({
        url: server.url("/seq"),
        method: "POST",
        headers: {},
        body: "x",
      });
      expect(await r.json()).toEqual({ path: "/seq", method: "POST", body: "x" });
    }
    // undici may dial a second socket while the first is still marked busy for a tick.
    expect(server.connections).toBeLessThanOrEqual(2);
    expect(pool.stats(server.origin)?.reuseRatio).toBe(1 - server.connections / 20);
  });

  it("returns status, lower-cased headers with repeated ones joined, and the body as bytes", async () => {
    server = await startServer((_req, res) => {
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.setHeader("X-Request-Id", "req_1");
      res.statusCode = 201;
      res.end("hello");
    });
    pool = new ConnectionPool();
    const r = await pool.request({ url: server.url("/h"), method: "GET", headers: {} });
    expect(r.status).toBe(201);
    expect(r.headers["set-cookie"]).toBe("a=1, b=2");
    expect(r.headers["x-request-id"]).toBe("req_1");
    const chunks: Uint8Array[] = [];
    for await (const chunk of r.body) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe("hello");
  });

  it("reads text and treats a URL without a path as /", async () => {
    server = await startServer(jsonHandler);
    pool = new ConnectionPool();
    const r = await pool.request({ url: server.origin, method: "GET", headers: {} });
    expect(JSON.parse(await r.text()).path).toBe("/");
    const q = await pool.request({ url: `${server.origin}?a=1`, method: "GET", headers: {} });
    expect(JSON.parse(await q.text()).path).toBe("/?a=1");
  });

  it("keeps one pool per origin however the URL spells it", async () => {
    server = await startServer(jsonHandler);
    pool = new ConnectionPool();
    const port = new URL(server.origin).port;
    await (
      await pool.request({ url: `http://127.0.0.1:${port}/a`, method: "GET", headers: {} })
    ).text();
    await (
      await pool.request({ url: `HTTP://127.0.0.1:${port}/b`, method: "GET", headers: {} })
    ).text();
    expect(Object.keys(pool.stats())).toEqual([server.origin]);
    expect(pool.stats(`${server.origin}/anything`)?.requestsServed).toBe(2);
    expect(pool.stats(server.origin)?.connectionsOpened).toBe(server.connections);
  });

  it("reports no stats for an origin it never used", () => {
    pool = new ConnectionPool();
    expect(pool.stats("http://127.0.0.1:1")).toBeUndefined();
    expect(pool.stats("not a url")).toBeUndefined();
    expect(pool.stats()).toEqual({});
  });
});
