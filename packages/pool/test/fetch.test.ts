import type http from "node:http";
import { startMockProvider } from "@llm/testkit";
import OpenAI from "openai";
import { Client } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool } from "../src/index.js";
import { heldHandler, jsonHandler, startServer, type TestServer, waitFor } from "./servers.js";

let pool: ConnectionPool | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await pool?.destroy();
  for (const c of cleanups.splice(0)) await c();
});

async function server(handler: http.RequestListener): Promise<TestServer> {
  const s = await startServer(handler);
  cleanups.push(() => s.close());
  return s;
}

describe("pool.fetch", () => {
  it("lets the official openai SDK complete a chat through the pool", async () => {
    const mock = await startMockProvider({ provider: "openai" });
    cleanups.push(() => mock.close());
    pool = new ConnectionPool({ connections: 4 });
    const client = new OpenAI({
      apiKey: "sk-test",
      baseURL: mock.baseURL,
      fetch: pool.fetch,
      maxRetries: 0,
    });
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Say hello" }],
    });
    expect(typeof completion.choices[0]?.message.content).toBe("string");
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Say hello" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text.length).toBeGreaterThan(0);
    expect(mock.requests).toHaveLength(2);
    expect(mock.requests[0]?.headers.authorization).toBe("Bearer sk-test");
    const stats = pool.stats(mock.origin);
    expect(stats?.requestsServed).toBe(2);
    expect(stats?.connectionsOpened).toBeLessThanOrEqual(2);
    expect(stats?.inFlight).toBe(0);
  });

  it("accepts a URL object, a global Request and init options", async () => {
    const s = await server(jsonHandler);
    pool = new ConnectionPool();
    const a = await pool.fetch(new URL(s.url("/u")));
    expect(await a.json()).toMatchObject({ path: "/u" });
    const b = await pool.fetch(new Request(s.url("/r"), { method: "POST", body: "hi" }));
    expect(await b.json()).toEqual({ path: "/r", method: "POST", body: "hi" });
    const c = await pool.fetch(s.url("/i"), { method: "PUT", body: "x", headers: { "x-a": "1" } });
    expect(await c.json()).toEqual({ path: "/i", method: "PUT", body: "x" });
  });

  it("shares the origin's limit with the Transport and queues fetches beyond it", async () => {
    const held = heldHandler();
    const s = await server(held.handler);
    pool = new ConnectionPool({ connections: 1, maxQueue: 1 });
    const first = pool.fetch(s.url("/1"));
    await waitFor(() => held.held === 1, "the first fetch at the server");
    const second = pool.fetch(s.url("/2"));
    const refused = await pool.fetch(s.url("/3")).catch((e: unknown) => e);
    expect((refused as Error).name).toBe("TypeError");
    expect(((refused as Error).cause as Error).name).toBe("PoolQueueFullError");
    expect(pool.stats(s.origin)).toMatchObject({ inFlight: 1, queued: 1 });
    held.releaseAll();
    expect(await (await first).text()).toBe("done");
    await waitFor(() => held.held === 1, "the queued fetch at the server");
    held.releaseAll();
    expect(await (await second).text()).toBe("done");
    expect(pool.stats(s.origin)).toMatchObject({ requestsServed: 2, inFlight: 0 });
  });

  it("counts a failed fetch as an error and frees its slot", async () => {
    const s = await server((req) => req.socket.destroy());
    pool = new ConnectionPool({ connections: 1 });
    const error = await pool.fetch(s.url("/")).catch((e: unknown) => e);
    expect((error as Error).name).toBe("TypeError");
    expect(pool.stats(s.origin)).toMatchObject({ errors: 1, inFlight: 0 });
  });

  it("fails a fetch on a closed pool", async () => {
    pool = new ConnectionPool();
    await pool.close();
    const error = await pool.fetch("http://127.0.0.1:65000/").catch((e: unknown) => e);
    expect(((error as Error).cause as Error).name).toBe("PoolClosedError");
  });
});

describe("pool.dispatcher", () => {
  it("serves undici.request and interceptor-style handlers through the gated pools", async () => {
    const s = await server(jsonHandler);
    pool = new ConnectionPool();
    const { request } = await import("undici");
    const res = await request(s.url("/d"), { dispatcher: pool.dispatcher });
    expect(await res.body.json()).toMatchObject({ path: "/d" });
    // A controller-style (undici 7) handler, as interceptors produce.
    const composed = pool.dispatcher.compose(
      (dispatch) => (opts, handler) => dispatch(opts, handler),
    );
    const res2 = await composed.request({ origin: s.origin, path: "/c", method: "GET" });
    expect(await res2.body.json()).toMatchObject({ path: "/c" });
    expect(pool.stats(s.origin)).toMatchObject({ requestsServed: 2, inFlight: 0 });
  });

  it("closes and destroys the pool through the Dispatcher API", async () => {
    pool = new ConnectionPool();
    await new Promise<void>((resolve) => pool?.dispatcher.close(() => resolve()));
    await pool.dispatcher.close();
    await new Promise<void>((resolve) => pool?.dispatcher.destroy(null, () => resolve()));
    await pool.dispatcher.destroy();
    await new Promise<void>((resolve) => pool?.dispatcher.destroy(() => resolve()));
    // undici's own Client is unaffected: the pool owns only its per-origin Pools.
    expect(Client).toBeTypeOf("function");
  });
});
