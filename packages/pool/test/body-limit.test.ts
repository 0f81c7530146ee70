import { LimitExceededError } from "@llm/core";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool, POOL_DEFAULTS } from "../src/index.js";
import { jsonHandler, serversClosedAfterEach } from "./servers.js";

const server = serversClosedAfterEach();
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
});

describe("text() and json() body limit", () => {
  it("bounds bodies at 32 MiB by default", () => {
    expect(POOL_DEFAULTS.maxBodyBytes).toBe(32 * 1024 * 1024);
  });

  it("stops reading a body that never ends once it passes maxBodyBytes", async () => {
    let closed!: Promise<void>;
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const timer = setInterval(() => res.write("x".repeat(16 * 1024)), 1);
      closed = new Promise((resolve) =>
        res.on("close", () => {
          clearInterval(timer);
          resolve();
        }),
      );
    });
    pool = new ConnectionPool({ maxBodyBytes: 256 * 1024 });
    const response = await pool.request({
      url: s.url("/endless?key=secret"),
      method: "GET",
      headers: {},
    });
    const error = await response.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "bodyBytes", max: 256 * 1024 });
    expect((error as LimitExceededError).where).toBe(`GET ${s.url("/endless")} response body`);
    await closed;
    expect(pool.stats(s.origin)?.inFlight).toBe(0);
  });

  it("refuses a body whose content-length is over maxBodyBytes", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.end("y".repeat(1000));
    });
    pool = new ConnectionPool({ maxBodyBytes: 100 });
    const response = await pool.request({ url: s.url("/big"), method: "GET", headers: {} });
    await expect(response.json()).rejects.toMatchObject({ limit: "bodyBytes", value: 1000 });
  });

  it("reads a body within the limit", async () => {
    const s = await server(jsonHandler);
    pool = new ConnectionPool({ maxBodyBytes: 1000 });
    const response = await pool.request({ url: s.url("/small"), method: "GET", headers: {} });
    expect(await response.json()).toMatchObject({ path: "/small" });
  });
});
