import { AbortError } from "@llm/core";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool, PoolClosedError } from "../src/index.js";
import {
  endlessStream,
  heldHandler,
  jsonHandler,
  serversClosedAfterEach,
  waitFor,
} from "./servers.js";

const server = serversClosedAfterEach();
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
});

describe("abort and cancel", () => {
  it("frees the connection when a stream is aborted mid-body, so the next request runs", async () => {
    const stream = await server(endlessStream(5));
    pool = new ConnectionPool({ connections: 1, maxQueue: 0 });
    const controller = new AbortController();
    const res = await pool.request({
      url: stream.url("/s"),
      method: "GET",
      headers: {},
      signal: controller.signal,
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of res.body) {
        seen.push(Buffer.from(chunk).toString());
        if (seen.length === 3) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(seen[0]).toBe("data: first\n\n");
    await waitFor(() => pool?.stats(stream.origin)?.inFlight === 0, "the slot to be released");
    // maxQueue 0 with one connection: this would be refused if the aborted stream still held the slot.
    const next = await pool.request({ url: stream.url("/again"), method: "GET", headers: {} });
    expect(next.status).toBe(200);
    await next.cancel();
    expect(pool.stats(stream.origin)?.errors).toBe(1);
  });

  it("cancel() mid-stream releases the slot at once", async () => {
    const stream = await server(endlessStream(5));
    pool = new ConnectionPool({ connections: 1, maxQueue: 0 });
    const res = await pool.request({ url: stream.url("/s"), method: "GET", headers: {} });
    await res.cancel();
    await res.cancel();
    await waitFor(() => pool?.stats(stream.origin)?.inFlight === 0, "the slot to be released");
    const next = await pool.request({ url: stream.url("/s"), method: "GET", headers: {} });
    expect(next.status).toBe(200);
    await next.cancel();
  });

  it("cancel() on a fully received response keeps its socket for the next request", async () => {
    const s = await server(jsonHandler);
    pool = new ConnectionPool({ connections: 1 });
    await (await pool.request({ url: s.url("/warm"), method: "GET", headers: {} })).text();
    const opened = s.connections;
    const res = await pool.request({ url: s.url("/a"), method: "GET", headers: {} });
    await new Promise((r) => setTimeout(r, 20));
    await res.cancel();
    await waitFor(() => pool?.stats(s.origin)?.inFlight === 0, "the slot to be released");
    expect(
      await (await pool.request({ url: s.url("/b"), method: "GET", headers: {} })).json(),
    ).toMatchObject({ path: "/b" });
    expect(s.connections).toBe(opened);
  });

  it("maps an abort before headers to AbortError", async () => {
    const held = heldHandler();
    const s = await server(held.handler);
    pool = new ConnectionPool();
    const controller = new AbortController();
    const pending = pool
      .request({ url: s.url("/"), method: "GET", headers: {}, signal: controller.signal })
      .catch((e: unknown) => e);
    await waitFor(() => held.held === 1, "the request at the server");
    controller.abort(new Error("user pressed stop"));
    const error = await pending;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).retryable).toBe(false);
    expect(pool.stats(s.origin)?.inFlight).toBe(0);
  });
});

describe("close and destroy", () => {
  it("close() lets every in-flight and queued request finish, then refuses new ones", async () => {
    const held = heldHandler();
    const s = await server(held.handler);
    pool = new ConnectionPool({ connections: 2 });
    const requests = Array.from({ length: 5 }, (_, i) =>
      pool?.request({ url: s.url(`/${i}`), method: "GET", headers: {} }).then((r) => r.text()),
    );
    await waitFor(() => held.held === 2, "two requests at the server");
    let closed = false;
    const closing = pool.close().then(() => {
      closed = true;
    });
    expect(pool.close()).toBe(pool.close());
    const refused = await pool
      .request({ url: s.url("/late"), method: "GET", headers: {} })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PoolClosedError);
    const timer = setInterval(() => held.releaseAll(), 2);
    const bodies = await Promise.all(requests);
    await closing;
    clearInterval(timer);
    expect(bodies).toEqual(["done", "done", "done", "done", "done"]);
    expect(closed).toBe(true);
    expect(s.requests).toBe(5);
    expect(pool.stats(s.origin)?.connected).toBe(0);
  });

  it("destroy() fails in-flight and queued requests with PoolClosedError", async () => {
    const held = heldHandler();
    const s = await server(held.handler);
    pool = new ConnectionPool({ connections: 1 });
    const inFlight = pool
      .request({ url: s.url("/1"), method: "GET", headers: {} })
      .catch((e: unknown) => e);
    const queued = pool
      .request({ url: s.url("/2"), method: "GET", headers: {} })
      .catch((e: unknown) => e);
    await waitFor(() => held.held === 1, "the first request at the server");
    await pool.destroy();
    await pool.destroy();
    const [a, b] = await Promise.all([inFlight, queued]);
    expect(a).toBeInstanceOf(PoolClosedError);
    expect((a as PoolClosedError).retryable).toBe(false);
    expect((a as PoolClosedError).message).toContain("destroyed");
    expect(b).toBeInstanceOf(PoolClosedError);
    expect(await pool.close()).toBeUndefined();
  });
});
