import {
  AbortError,
  type BodySink,
  driveStream,
  RequestAborter,
  type StreamEvent,
  TimeoutError,
  type Transport,
  type TransportRequest,
} from "@llm/core";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool } from "../src/index.js";
import {
  endlessStream,
  heldHandler,
  jsonHandler,
  serversClosedAfterEach,
  type TestServer,
  waitFor,
} from "./servers.js";

// Registered first: vitest runs after-hooks in reverse, so the pool goes before its servers.
const serve = serversClosedAfterEach();
let server: TestServer | undefined;
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
});

const get = (aborter: RequestAborter, path = "/") => ({
  url: server?.url(path) ?? "",
  method: "GET" as const,
  headers: {},
  aborter,
});

/** Records what the piped body hands it. */
class RecordingSink implements BodySink {
  writes = 0;
  ended = false;
  error: unknown;
  write(): boolean {
    this.writes++;
    return true;
  }
  end(): void {
    this.ended = true;
  }
  fail(error: unknown): void {
    this.error = error;
  }
}

describe("TransportRequest.aborter on the pool", () => {
  it("says it honours abort handles", () => {
    pool = new ConnectionPool();
    expect(pool.abortHandles).toBe(true);
  });

  it("fails a piped body mid-stream with the aborter's reason and frees the slot", async () => {
    server = await serve(endlessStream(5));
    pool = new ConnectionPool();
    const aborter = new RequestAborter();
    const res = await pool.request(get(aborter));
    const sink = new RecordingSink();
    res.pipe?.(sink);
    await waitFor(() => sink.writes >= 1, "a first chunk");
    const reason = new TimeoutError("idle", 50);
    aborter.abort(reason);
    await waitFor(() => sink.error !== undefined, "the failure");
    expect(sink.error).toBe(reason);
    expect(sink.ended).toBe(false);
    await waitFor(() => pool?.stats(server?.origin ?? "")?.inFlight === 0, "the slot released");
  });

  it("rejects a request aborted before its headers arrive with the reason", async () => {
    const held = heldHandler();
    server = await serve(held.handler);
    pool = new ConnectionPool();
    const aborter = new RequestAborter();
    const pending = pool.request(get(aborter)).catch((e: unknown) => e);
    await waitFor(() => held.held === 1, "the request at the server");
    aborter.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toBe(aborter.reason);
    await waitFor(() => pool?.stats(server?.origin ?? "")?.inFlight === 0, "the slot released");
    held.releaseAll();
  });

  it("rejects an already aborted request without sending it", async () => {
    server = await serve(jsonHandler);
    pool = new ConnectionPool();
    const aborter = new RequestAborter();
    const reason = new TimeoutError("total", 10);
    aborter.abort(reason);
    await expect(pool.request(get(aborter))).rejects.toBe(reason);
    expect(server.requests).toBe(0);
  });

  it("drops a request aborted while it waits in the queue, and the queue moves on", async () => {
    const held = heldHandler();
    server = await serve(held.handler);
    pool = new ConnectionPool({ connections: 1 });
    const first = pool.request({ url: server.url("/"), method: "GET", headers: {} });
    await waitFor(() => held.held === 1, "the first request at the server");
    const aborter = new RequestAborter();
    const waiting = pool.request(get(aborter)).catch((e: unknown) => e);
    expect(pool.stats(server.origin)?.queued).toBe(1);
    const reason = new TimeoutError("total", 10);
    aborter.abort(reason);
    const error = await waiting;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe(reason);
    expect(pool.stats(server.origin)?.queued).toBe(0);
    const early = new RequestAborter();
    early.abort();
    const refused = pool.request(get(early)).catch((e: unknown) => e);
    held.releaseAll();
    expect(await refused).toBeInstanceOf(AbortError);
    expect(await (await first).text()).toBe("done");
    expect(server.requests).toBe(1);
  });

  it("hands a queued request's aborter on to its response once a slot frees", async () => {
    const held = heldHandler();
    server = await serve(held.handler);
    pool = new ConnectionPool({ connections: 1 });
    const first = pool.request({ url: server.url("/"), method: "GET", headers: {} });
    await waitFor(() => held.held === 1, "the first request at the server");
    const aborter = new RequestAborter();
    const second = pool.request(get(aborter)).catch((e: unknown) => e);
    held.releaseAll();
    await (await first).text();
    await waitFor(() => held.held === 1, "the second request at the server");
    aborter.abort();
    expect(await second).toBe(aborter.reason);
    held.releaseAll();
  });

  it("lets go of the aborter once the response is complete: a late abort changes nothing", async () => {
    server = await serve(jsonHandler);
    pool = new ConnectionPool();
    const aborter = new RequestAborter();
    const res = await pool.request(get(aborter));
    const body = await res.text();
    aborter.abort();
    await new Promise((r) => setTimeout(r, 10));
    expect(JSON.parse(body)).toMatchObject({ path: "/", method: "GET" });
    expect(pool.stats(server.origin)).toMatchObject({ errors: 0, inFlight: 0 });
  });
});

describe("a core stream over the pool", () => {
  const plan = (url: string) => () => ({
    send: { provider: "test", url, method: "GET" as const },
    open: () => ({
      push(frame: string, out: StreamEvent[]) {
        out.push({ type: "text-delta", delta: frame });
      },
      end() {},
    }),
  });

  it("stops an endless body through the aborter when the consumer breaks, and frees the slot", async () => {
    let closed = false;
    server = await serve((req, res) => {
      res.on("close", () => {
        closed = true;
      });
      endlessStream(5)(req, res);
    });
    pool = new ConnectionPool();
    const seen: TransportRequest[] = [];
    const transport = pool;
    const watching: Transport = {
      abortHandles: true,
      request: (request) => {
        seen.push(request);
        return transport.request(request);
      },
    };
    const deltas: string[] = [];
    for await (const event of driveStream(watching, undefined, "sse", plan(server.url("/")))) {
      if (event.type === "text-delta") deltas.push(event.delta);
      if (deltas.length === 2) break;
    }
    expect(deltas).toEqual(["first", "more"]);
    expect(seen[0]?.signal).toBeUndefined();
    expect(seen[0]?.aborter?.aborted).toBe(true);
    await waitFor(() => closed, "the server to see the connection close");
    await waitFor(() => pool?.stats(server?.origin ?? "")?.inFlight === 0, "the slot released");
  });

  it("ends a stream whose server goes quiet with the idle limit's TimeoutError", async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: only\n\n");
    });
    pool = new ConnectionPool();
    const deltas: string[] = [];
    const error = await (async () => {
      for await (const event of driveStream(
        pool as ConnectionPool,
        { idleTimeoutMs: 30 },
        "sse",
        plan(server?.url("/") ?? ""),
      ))
        if (event.type === "text-delta") deltas.push(event.delta);
    })().catch((e: unknown) => e);
    expect(deltas).toEqual(["only"]);
    expect(error).toBeInstanceOf(TimeoutError);
    await waitFor(() => pool?.stats(server?.origin ?? "")?.inFlight === 0, "the slot released");
  });
});
