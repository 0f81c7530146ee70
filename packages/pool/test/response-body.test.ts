import { AbortError, ParseError } from "@llm/core";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool } from "../src/index.js";
import { endlessStream, startServer, type TestServer, waitFor } from "./servers.js";

let server: TestServer | undefined;
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
  await server?.close();
  server = undefined;
});

const get = (path = "/") => ({ url: server?.url(path) ?? "", method: "GET" as const, headers: {} });

describe("response body", () => {
  it("delivers a 2 MB body intact to a slow reader, pausing the socket past 64 KiB", async () => {
    const block = Buffer.alloc(16 * 1024, "abcdefgh");
    server = await startServer((_req, res) => {
      res.writeHead(200, { "content-length": String(block.length * 128) });
      for (let i = 0; i < 128; i++) res.write(block);
      res.end();
    });
    pool = new ConnectionPool();
    const res = await pool.request(get());
    await new Promise((r) => setTimeout(r, 50)); // let the server fill the buffer while nobody reads
    let bytes = 0;
    let reads = 0;
    for await (const chunk of res.body) {
      bytes += chunk.length;
      if (++reads % 16 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    expect(bytes).toBe(block.length * 128);
    await waitFor(
      () => pool?.stats(server?.origin ?? "")?.inFlight === 0,
      "the slot to be released",
    );
  });

  it("reads the rest with text() after part of the body was iterated", async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200);
      res.write("one,");
      setTimeout(() => res.end("two"), 20);
    });
    pool = new ConnectionPool();
    const res = await pool.request(get());
    const iterator = res.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe("one,");
    expect(await res.text()).toBe("two");
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it("skips informational 1xx responses and returns the final one", async () => {
    server = await startServer((_req, res) => {
      res.writeEarlyHints({ link: "</style.css>; rel=preload" });
      res.end("final");
    });
    pool = new ConnectionPool();
    const res = await pool.request(get());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("final");
  });

  it("keeps a header named like an Object.prototype member as a plain value", async () => {
    server = await startServer((_req, res) => {
      res.setHeader("constructor", "x");
      res.setHeader("x-multi", ["a", "b"]);
      res.end();
    });
    pool = new ConnectionPool();
    const res = await pool.request(get());
    expect(res.headers.constructor).toBe("x");
    expect(res.headers["x-multi"]).toBe("a, b");
    expect(await res.text()).toBe("");
  });

  it("reads the same headers after the body was consumed and the socket reused", async () => {
    server = await startServer((req, res) => {
      res.setHeader("x-request-id", `req_${req.url?.slice(1)}`);
      res.setHeader("x-multi", ["a", "b"]);
      res.end("body");
    });
    pool = new ConnectionPool({ connections: 1 });
    const first = await pool.request(get("/1"));
    expect(await first.text()).toBe("body");
    const second = await pool.request(get("/2"));
    expect(await second.text()).toBe("body");
    expect(first.headers["x-request-id"]).toBe("req_1");
    expect(first.headers["x-multi"]).toBe("a, b");
    expect(second.headers["x-request-id"]).toBe("req_2");
    expect(first.headers).toBe(first.headers);
  });

  it("throws ParseError naming the request when json() gets no JSON", async () => {
    server = await startServer((_req, res) => res.end("<html>oops</html>"));
    pool = new ConnectionPool();
    const res = await pool.request({ ...get("/v1/x?key=SECRET"), method: "POST" });
    const error = await res.json().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).where).toBe(`POST ${server.origin}/v1/x response body`);
  });

  it("breaking out of for-await cancels the stream and frees the slot", async () => {
    server = await startServer(endlessStream(5));
    pool = new ConnectionPool({ connections: 1, maxQueue: 0 });
    const res = await pool.request(get());
    let n = 0;
    for await (const _chunk of res.body) {
      if (++n === 2) break;
    }
    expect(n).toBe(2);
    await waitFor(
      () => pool?.stats(server?.origin ?? "")?.inFlight === 0,
      "the slot to be released",
    );
    expect(pool.stats(server.origin)?.errors).toBe(0);
    const next = await pool.request(get());
    expect(next.status).toBe(200);
    await next.cancel();
  });

  it("ends a reader that is waiting for data when the body is cancelled", async () => {
    server = await startServer(endlessStream(1_000));
    pool = new ConnectionPool();
    const res = await pool.request(get());
    const iterator = res.body[Symbol.asyncIterator]();
    await iterator.next(); // the first frame
    const waiting = iterator.next();
    await res.cancel();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(await res.text()).toBe("");
  });

  it("rejects a reader waiting for data when the caller aborts, and later reads too", async () => {
    server = await startServer(endlessStream(1_000));
    pool = new ConnectionPool();
    const controller = new AbortController();
    const res = await pool.request({ ...get(), signal: controller.signal });
    const iterator = res.body[Symbol.asyncIterator]();
    await iterator.next();
    const waiting = iterator.next();
    controller.abort();
    expect(await waiting.catch((e: unknown) => e)).toBeInstanceOf(AbortError);
    expect(await iterator.next().catch((e: unknown) => e)).toBeInstanceOf(AbortError);
    expect(await res.text().catch((e: unknown) => e)).toBeInstanceOf(AbortError);
  });

  it("rejects a request whose signal was aborted before it was sent, without touching the network", async () => {
    server = await startServer((_req, res) => res.end("never"));
    pool = new ConnectionPool();
    const controller = new AbortController();
    controller.abort();
    const error = await pool
      .request({ ...get(), signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(server.requests).toBe(0);
    expect(pool.stats(server.origin)?.inFlight).toBe(0);
  });

  it("aborts a request whose signal fires while undici is still connecting", async () => {
    server = await startServer((_req, res) => res.end("late"));
    pool = new ConnectionPool();
    const controller = new AbortController();
    const pending = pool.request({ ...get(), signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(await pending).toBeInstanceOf(AbortError);
    expect(pool.stats(server.origin)?.inFlight).toBe(0);
  });
});
