import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool, POOL_DEFAULTS, PoolClosedError } from "../src/index.js";
import { endlessStream, heldHandler, serversClosedAfterEach, waitFor } from "./servers.js";

const server = serversClosedAfterEach();
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
});

describe("close() with a deadline", () => {
  it("waits 5 s by default before failing what is still running", () => {
    expect(POOL_DEFAULTS.closeTimeoutMs).toBe(5_000);
    expect(new ConnectionPool().options.closeTimeoutMs).toBe(5_000);
  });

  it("resolves at its deadline while a server accepts requests and never answers", async () => {
    const hung = heldHandler();
    const s = await server(hung.handler);
    pool = new ConnectionPool({ connections: 1, closeTimeoutMs: 100 });
    const inFlight = pool
      .request({ url: s.url("/hung"), method: "POST", headers: {}, body: "{}" })
      .catch((e: unknown) => e);
    const queued = pool
      .request({ url: s.url("/queued"), method: "POST", headers: {}, body: "{}" })
      .catch((e: unknown) => e);
    await waitFor(() => hung.held === 1, "the request at the server");
    await pool.close();
    const [a, b] = await Promise.all([inFlight, queued]);
    expect(a).toBeInstanceOf(PoolClosedError);
    expect(a).toMatchObject({ code: "POOL_CLOSED", retryable: false });
    expect(b).toBeInstanceOf(PoolClosedError);
    expect(pool.stats(s.origin)?.inFlight).toBe(0);
    expect(pool.stats(s.origin)?.queued).toBe(0);
  });

  it("takes a per-call deadline over the pool's", async () => {
    const hung = heldHandler();
    const s = await server(hung.handler);
    pool = new ConnectionPool({ closeTimeoutMs: 0 });
    const inFlight = pool
      .request({ url: s.url("/hung"), method: "GET", headers: {} })
      .catch((e: unknown) => e);
    await waitFor(() => hung.held === 1, "the request at the server");
    await pool.close({ timeoutMs: 50 });
    expect(await inFlight).toBeInstanceOf(PoolClosedError);
  });

  it("fails a body still being read at the deadline with PoolClosedError", async () => {
    const s = await server(endlessStream(5));
    pool = new ConnectionPool({ closeTimeoutMs: 100 });
    const response = await pool.request({ url: s.url("/stream"), method: "GET", headers: {} });
    const reading = (async () => {
      for await (const _ of response.body) {
        // keep reading until the pool closes
      }
    })().catch((e: unknown) => e);
    await pool.close();
    expect(await reading).toBeInstanceOf(PoolClosedError);
  });

  it("still lets requests that finish before the deadline complete normally", async () => {
    const held = heldHandler();
    const s = await server(held.handler);
    pool = new ConnectionPool({ closeTimeoutMs: 10_000 });
    const body = pool
      .request({ url: s.url("/ok"), method: "GET", headers: {} })
      .then((r) => r.text());
    await waitFor(() => held.held === 1, "the request at the server");
    const closing = pool.close();
    held.releaseAll();
    expect(await body).toBe("done");
    await closing;
    expect(pool.stats(s.origin)?.connected).toBe(0);
  });
});
