import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type ChatRequest, isLLMError } from "@llm/core";
import { createLLMContainer } from "@llm/di";
import { ConnectionPool, PoolClosedError } from "@llm/pool";
import { createOpenAI, provider as openaiProvider } from "@llm/provider-openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./support/temp-dir.js";
import { watchUnhandled } from "./support/unhandled.js";

/**
 * Item 6 of issue #11: shutting down never waits on a hung server. A server
 * that accepts every request and never answers holds 40 calls (8 on sockets,
 * 32 queued in the pool); `close()` and a container's `dispose()` finish at
 * their deadline and every caller gets a typed `PoolClosedError`.
 */

let server: Server;
let origin: string;
let held = 0;
const ask: ChatRequest = { messages: [{ role: "user", content: "are you there?" }] };

beforeAll(async () => {
  server = createServer((req) => {
    req.resume();
    held++; // accepted, never answered
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("shutdown with a server that never answers", () => {
  it("pool.close() resolves at its deadline and fails in-flight and queued calls with PoolClosedError", async () => {
    held = 0;
    const unhandled = watchUnhandled();
    const pool = new ConnectionPool({ connections: 8, closeTimeoutMs: 300 });
    const client = createOpenAI({
      apiKey: "sk-test",
      baseURL: `${origin}/v1`,
      model: "m",
      transport: pool,
    });
    const calls = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? client.generate(ask).catch((e: unknown) => e)
        : (async () => {
            for await (const _ of client.stream(ask)) {
              // never gets an event
            }
          })().catch((e: unknown) => e),
    );
    await until(() => held === 8, "8 requests at the server");
    expect(pool.stats(origin)?.queued).toBe(32);
    await pool.close();
    const errors = await Promise.all(calls);
    unhandled.stop();
    expect(errors.every((e) => e instanceof PoolClosedError)).toBe(true);
    expect(errors.every((e) => isLLMError(e) && e.code === "POOL_CLOSED")).toBe(true);
    expect(pool.stats(origin)).toMatchObject({ inFlight: 0, queued: 0 });
    expect(unhandled.errors).toEqual([]);
  });

  it("a container's dispose() finishes at the pool deadline while calls hang", async () => {
    held = 0;
    const tmp = tempDir("pool-close");
    const file = tmp.path("llm.yaml");
    writeFileSync(
      file,
      `
clients:
  hung: { provider: openai, model: m, apiKey: sk-test-000000, baseURL: "${origin}/v1" }
cache: { enabled: false }
pool: { closeTimeoutMs: 300 }
`,
    );
    const container = await createLLMContainer({
      config: { files: [file], env: {} },
      providers: [openaiProvider],
    });
    const client = container.clients.get("hung");
    const calls = Array.from({ length: 5 }, () => client.generate(ask).catch((e: unknown) => e));
    await until(() => held === 5, "5 requests at the server");
    await container.dispose();
    const errors = await Promise.all(calls);
    tmp.remove();
    expect(errors.map((e) => (e as PoolClosedError).code)).toEqual(Array(5).fill("POOL_CLOSED"));
  });
});
