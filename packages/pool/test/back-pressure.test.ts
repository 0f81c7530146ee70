import { AbortError, LLMError, TimeoutError } from "@llm/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConnectionPool,
  PoolClosedError,
  PoolQueueFullError,
  PoolTimeoutError,
} from "../src/index.js";
import { heldHandler, startServer, type TestServer, waitFor } from "./servers.js";

let server: TestServer | undefined;
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
  await server?.close();
});

describe("back-pressure", () => {
  it("rejects a request with PoolQueueFullError when in-flight and queue are full", async () => {
    const held = heldHandler();
    server = await startServer(held.handler);
    pool = new ConnectionPool({ connections: 2, maxQueue: 3 });
    const req = () =>
      pool?.request({ url: server?.url("/held") ?? "", method: "GET", headers: {} });
    const accepted = Array.from({ length: 5 }, () => req()?.then((r) => r.text()));
    await waitFor(() => held.held === 2, "two requests at the server");
    const error = await req()?.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolQueueFullError);
    expect(error).toBeInstanceOf(LLMError);
    expect((error as PoolQueueFullError).code).toBe("POOL_QUEUE_FULL");
    expect((error as PoolQueueFullError).retryable).toBe(true);
    expect((error as PoolQueueFullError).message).toContain(server.origin);
    expect(pool.stats(server.origin)).toMatchObject({
      inFlight: 2,
      queued: 3,
      running: 2,
      pending: 0,
      rejectedQueueFull: 1,
    });
    held.releaseAll();
    await waitFor(() => held.held === 2, "the queued requests to reach the server");
    held.releaseAll();
    await waitFor(() => held.held === 1, "the last queued request");
    held.releaseAll();
    expect(await Promise.all(accepted)).toEqual(["done", "done", "done", "done", "done"]);
    expect(server.requests).toBe(5);
  });

  it("never hands undici more requests than connections × pipelining", async () => {
    const held = heldHandler();
    server = await startServer(held.handler);
    pool = new ConnectionPool({ connections: 3, maxQueue: 100 });
    const all = Array.from({ length: 50 }, () =>
      pool
        ?.request({ url: server?.url("/") ?? "", method: "GET", headers: {} })
        .then((r) => r.text()),
    );
    await waitFor(() => held.held === 3, "three requests at the server");
    const stats = pool.stats(server.origin);
    expect(stats?.running).toBe(3);
    expect(stats?.pending).toBe(0);
    expect(stats?.queued).toBe(47);
    const timer = setInterval(() => held.releaseAll(), 2);
    await Promise.all(all);
    clearInterval(timer);
    expect(server.connections).toBeLessThanOrEqual(3);
    const after = pool.stats(server.origin);
    expect(after?.queued).toBe(0);
    expect(after?.queueWaitP99Ms).toBeGreaterThan(0);
    expect(after?.queueWaitP50Ms).toBeGreaterThanOrEqual(0);
  });

  it("fails a request that waits longer than queueTimeoutMs with PoolTimeoutError", async () => {
    const held = heldHandler();
    server = await startServer(held.handler);
    pool = new ConnectionPool({ connections: 1, queueTimeoutMs: 30 });
    const first = pool.request({ url: server.url("/"), method: "GET", headers: {} });
    await waitFor(() => held.held === 1, "the first request at the server");
    const error = await pool
      .request({ url: server.url("/"), method: "GET", headers: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolTimeoutError);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as PoolTimeoutError).phase).toBe("queue");
    expect((error as PoolTimeoutError).timeoutMs).toBe(30);
    expect((error as PoolTimeoutError).code).toBe("TIMEOUT");
    expect((error as PoolTimeoutError).origin).toBe(server.origin);
    expect(pool.stats(server.origin)).toMatchObject({ queued: 0, queueTimeouts: 1, inFlight: 1 });
    held.releaseAll();
    expect(await (await first).text()).toBe("done");
    expect(server.requests).toBe(1);
  });

  it("lets a caller abort while its request waits in the queue", async () => {
    const held = heldHandler();
    server = await startServer(held.handler);
    pool = new ConnectionPool({ connections: 1 });
    const first = pool.request({ url: server.url("/"), method: "GET", headers: {} });
    await waitFor(() => held.held === 1, "the first request at the server");
    const controller = new AbortController();
    const waiting = pool
      .request({ url: server.url("/"), method: "GET", headers: {}, signal: controller.signal })
      .catch((e: unknown) => e);
    controller.abort();
    const error = await waiting;
    expect(error).toBeInstanceOf(AbortError);
    expect(pool.stats(server.origin)?.queued).toBe(0);
    const aborted = new AbortController();
    aborted.abort();
    const early = await pool
      .request({ url: server.url("/"), method: "GET", headers: {}, signal: aborted.signal })
      .catch((e: unknown) => e);
    expect(early).toBeInstanceOf(AbortError);
    held.releaseAll();
    expect(await (await first).text()).toBe("done");
    expect(server.requests).toBe(1);
  });

  it("serves queued requests in arrival order", async () => {
    const held = heldHandler();
    server = await startServer((req, res) => held.handler(req, res));
    pool = new ConnectionPool({ connections: 1 });
    const order: number[] = [];
    const first = pool.request({ url: server.url("/0"), method: "GET", headers: {} });
    await waitFor(() => held.held === 1, "the first request");
    const rest = [1, 2, 3].map((i) =>
      pool
        ?.request({ url: server?.url(`/${i}`) ?? "", method: "GET", headers: {} })
        .then(async (r) => {
          order.push(i);
          return r.text();
        }),
    );
    const timer = setInterval(() => held.releaseAll(), 2);
    await (await first).text();
    await Promise.all(rest);
    clearInterval(timer);
    expect(order).toEqual([1, 2, 3]);
  });

  it("refuses requests after close with PoolClosedError", async () => {
    pool = new ConnectionPool();
    await pool.close();
    const error = await pool
      .request({ url: "http://127.0.0.1:1/", method: "GET", headers: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolClosedError);
    expect((error as PoolClosedError).retryable).toBe(false);
  });
});
