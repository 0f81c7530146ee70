import net from "node:net";
import { NetworkError, TimeoutError } from "@llm/core";
import { errors } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool } from "../src/index.js";
import { mapUndiciError } from "../src/map-undici-error.js";
import { startServer, type TestServer } from "./servers.js";

let server: TestServer | undefined;
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
  await server?.close();
  server = undefined;
});

const ctx = {
  origin: "https://api.example.com",
  connectTimeoutMs: 10,
  headersTimeoutMs: 20,
  bodyTimeoutMs: 30,
};

describe("error mapping over real sockets", () => {
  it("maps a connection reset to a retryable NetworkError", async () => {
    server = await startServer((req) => req.socket.destroy());
    pool = new ConnectionPool();
    const error = await pool
      .request({ url: server.url("/v1/chat?key=SECRET"), method: "POST", headers: {}, body: "{}" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).retryable).toBe(true);
    expect((error as NetworkError).message).toContain(`POST ${server.origin}/v1/chat failed`);
    expect((error as NetworkError).message).not.toContain("SECRET");
    expect(pool.stats(server.origin)?.errors).toBe(1);
  });

  it("maps a refused connection to NetworkError naming ECONNREFUSED", async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    pool = new ConnectionPool();
    const error = await pool
      .request({ url: `http://127.0.0.1:${port}/`, method: "GET", headers: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toContain("ECONNREFUSED");
  });

  it("maps a per-request headers timeout to TimeoutError phase first-byte", async () => {
    server = await startServer(() => {});
    pool = new ConnectionPool();
    const error = await pool
      .request({ url: server.url("/"), method: "GET", headers: {}, headersTimeoutMs: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe("first-byte");
    expect((error as TimeoutError).timeoutMs).toBe(50);
    expect(pool.stats(server.origin)?.inFlight).toBe(0);
  });

  it("maps a stalled body to TimeoutError phase idle, while iterating and in text()", async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200);
      res.write("partial");
    });
    pool = new ConnectionPool({ bodyTimeoutMs: 60 });
    const res = await pool.request({ url: server.url("/"), method: "GET", headers: {} });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of res.body) seen.push(Buffer.from(chunk).toString());
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["partial"]);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe("idle");
    expect((error as TimeoutError).timeoutMs).toBe(60);
    const res2 = await pool.request({
      url: server.url("/"),
      method: "GET",
      headers: {},
      bodyTimeoutMs: 40,
    });
    const error2 = await res2.text().catch((e: unknown) => e);
    expect((error2 as TimeoutError).phase).toBe("idle");
    expect((error2 as TimeoutError).timeoutMs).toBe(40);
    const res3 = await pool.request({
      url: server.url("/"),
      method: "GET",
      headers: {},
      bodyTimeoutMs: 40,
    });
    expect(await res3.json().catch((e: unknown) => e)).toBeInstanceOf(TimeoutError);
    await waitIdle();
  });

  it("maps a socket closed mid-body to NetworkError", async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("short");
      setTimeout(() => res.socket?.destroy(), 10);
    });
    pool = new ConnectionPool();
    const res = await pool.request({ url: server.url("/"), method: "GET", headers: {} });
    const error = await res.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it("rejects an invalid or non-http URL with ConfigError", async () => {
    pool = new ConnectionPool();
    const bad = await pool
      .request({ url: "not a url", method: "GET", headers: {} })
      .catch((e: unknown) => e);
    expect((bad as Error).name).toBe("ConfigError");
    const ftp = await pool
      .request({ url: "ftp://127.0.0.1/x", method: "GET", headers: {} })
      .catch((e: unknown) => e);
    expect((ftp as Error).message).toContain("ftp:");
  });
});

async function waitIdle(): Promise<void> {
  const origin = server?.origin ?? "";
  for (let i = 0; i < 200 && pool?.stats(origin)?.inFlight !== 0; i++)
    await new Promise((r) => setTimeout(r, 5));
  expect(pool?.stats(origin)?.inFlight).toBe(0);
}

describe("mapUndiciError", () => {
  const request = { url: "https://api.example.com/v1/x", method: "POST" as const, headers: {} };
  it("maps undici's connect timeout to TimeoutError phase connect", () => {
    const e = mapUndiciError(new errors.ConnectTimeoutError(), request, ctx);
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as TimeoutError).phase).toBe("connect");
    expect((e as TimeoutError).timeoutMs).toBe(10);
  });
  it("uses the pool's timeouts when the request set none", () => {
    expect(
      (mapUndiciError(new errors.HeadersTimeoutError(), request, ctx) as TimeoutError).timeoutMs,
    ).toBe(20);
    expect(
      (mapUndiciError(new errors.BodyTimeoutError(), request, ctx) as TimeoutError).timeoutMs,
    ).toBe(30);
  });
  it("maps UND_ERR_SOCKET and ECONNRESET to NetworkError with a readable reason", () => {
    const socket = mapUndiciError(new errors.SocketError("other side closed"), request, ctx);
    expect(socket.message).toBe(
      "POST https://api.example.com/v1/x failed: socket closed unexpectedly (UND_ERR_SOCKET)",
    );
    const reset = mapUndiciError(
      Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
      request,
      ctx,
    );
    expect(reset.message).toContain("connection reset by the server (ECONNRESET)");
    const odd = mapUndiciError(Object.assign(new Error("weird"), { code: "EWEIRD" }), request, ctx);
    expect(odd.message).toContain("weird (EWEIRD)");
  });
  it("maps aborts and unknown values", () => {
    expect(mapUndiciError(new errors.RequestAbortedError(), request, ctx).code).toBe("ABORTED");
    expect(mapUndiciError(new DOMException("x", "AbortError"), request, ctx).code).toBe("ABORTED");
    expect(mapUndiciError(new errors.ClientClosedError(), request, ctx).message).toContain(
      "closed",
    );
    expect(mapUndiciError("boom", request, ctx).message).toContain("boom");
    expect(mapUndiciError(new Error("plain"), request, ctx).message).toContain("plain");
  });
  it("passes an LLMError through unchanged", () => {
    const original = new NetworkError("already mapped");
    expect(mapUndiciError(original, request, ctx)).toBe(original);
  });
  it("names the origin when the URL does not start with it", () => {
    const e = mapUndiciError(new Error("x"), { ...request, url: "HTTPS://API.example.com/y" }, ctx);
    expect(e.message).toContain("POST https://api.example.com failed");
  });
});
