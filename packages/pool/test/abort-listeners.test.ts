import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool } from "../src/index.js";
import { jsonHandler, startServer, type TestServer } from "./servers.js";

let server: TestServer | undefined;
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
  await server?.close();
});

const listeners = (signal: AbortSignal) => getEventListeners(signal, "abort").length;

// 10,000 real requests: ~17 s alone, more beside other suites; the bound is for hangs, not speed.
describe("abort listeners on a caller's shared signal", { timeout: 120_000 }, () => {
  it("adds none over 10,000 requests that queue and run on one signal, holding at most one at a time", async () => {
    server = await startServer(jsonHandler);
    pool = new ConnectionPool({ connections: 4 });
    const caller = new AbortController();
    let peak = 0;
    let running = true;
    const sampler = (async () => {
      while (running) {
        peak = Math.max(peak, listeners(caller.signal));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    let next = 0;
    const worker = async () => {
      while (next < 10_000) {
        next++;
        const response = await pool!.request({
          url: server!.url("/n"),
          method: "GET",
          headers: {},
          signal: caller.signal,
        });
        await response.text();
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    running = false;
    await sampler;
    expect(listeners(caller.signal)).toBe(0);
    expect(peak).toBeLessThanOrEqual(1);
    expect(pool.stats(server.origin)).toMatchObject({ inFlight: 0, queued: 0 });
  });
});
