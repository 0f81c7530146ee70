import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import {
  type ChatRequest,
  LimitExceededError,
  type LLMClient,
  type ResponseLimits,
  TimeoutError,
} from "@llm/core";
import { ConnectionPool } from "@llm/pool";
import type { ProviderName } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventMessage, withDeclaredLength } from "./support/event-stream.js";
import { clientFor as clientAt } from "./support/provider-clients.js";
import { watchUnhandled } from "./support/unhandled.js";
import { SAMPLED_PROVIDERS } from "./support/wire-samples.js";

/**
 * Item 5 of issue #11: every input from a provider is bounded. Each provider,
 * over a real `ConnectionPool` socket, meets a server that never ends a line,
 * one that only sends keep-alive pings, and one that sends a huge JSON body;
 * each call fails with a typed error naming the limit, and the server sees the
 * request closed (nothing keeps reading). Bedrock's binary event stream has no
 * lines: its "endless line" is a message whose prelude declares more bytes than
 * the limit, followed by filler, and its pings are well-formed events of a type
 * it does not know.
 */

type Mode = "endless-line" | "pings" | "huge-json";
let mode: Mode = "endless-line";
let server: Server;
let origin: string;
let pool: ConnectionPool;
/** Resolves when the server sees the last response closed by the client. */
let closed: Promise<void> = Promise.resolve();

const PROVIDERS = SAMPLED_PROVIDERS;
const ask: ChatRequest = { messages: [{ role: "user", content: "hello" }] };

function forever(
  res: ServerResponse,
  first: string | Uint8Array,
  chunk: string | Uint8Array,
): void {
  res.write(first);
  const timer = setInterval(() => res.write(chunk), 1);
  closed = new Promise((resolve) =>
    res.on("close", () => {
      clearInterval(timer);
      resolve();
    }),
  );
}

/**
 * Bedrock's binary stream: a message whose prelude declares 1 GiB, then filler; or, for
 * "pings", a message of a plausible 200 KiB that arrives a byte at a time and never completes
 * (bytes that decode to nothing must not keep a stream alive).
 */
function foreverEventStream(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
  const message = eventMessage("contentBlockDelta", '{"contentBlockIndex":0,"delta":{"text":"x"}}');
  if (mode === "endless-line") {
    forever(res, withDeclaredLength(message, 1024 ** 3), "x".repeat(16 * 1024));
  } else {
    forever(res, withDeclaredLength(message, 200 * 1024), "x");
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const ndjson = req.url?.startsWith("/api/") ?? false;
    if (mode === "huge-json") {
      res.writeHead(200, { "content-type": "application/json" });
      return forever(res, '{"id":"', "j".repeat(16 * 1024));
    }
    if (req.url?.endsWith("/converse-stream")) return foreverEventStream(res);
    res.writeHead(200, {
      "content-type": ndjson ? "application/x-ndjson" : "text/event-stream",
    });
    if (mode === "endless-line") {
      return forever(res, ndjson ? '{"message":"' : 'data: {"x":"', "x".repeat(16 * 1024));
    }
    // Keep-alive only: SSE comments, or NDJSON blank lines.
    return forever(res, "", ndjson ? "\n" : ": ping\n\n");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  pool = new ConnectionPool();
});

afterAll(async () => {
  await pool.destroy();
  server.closeAllConnections();
  server.close();
});

function clientFor(provider: ProviderName, limits: ResponseLimits): LLMClient {
  return clientAt(provider, origin, pool, limits);
}

async function streamFailure(client: LLMClient): Promise<unknown> {
  try {
    for await (const _ of client.stream(ask)) {
      // no event ever completes
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.each(PROVIDERS)("%s: bounded responses over a pool socket", (provider) => {
  it("fails a stream line that never ends with LimitExceededError and stops reading", async () => {
    mode = "endless-line";
    const unhandled = watchUnhandled();
    const heapBefore = process.memoryUsage().heapUsed;
    const error = await streamFailure(clientFor(provider, { maxLineBytes: 256 * 1024 }));
    await closed;
    unhandled.stop();
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "lineBytes", max: 256 * 1024 });
    expect((error as LimitExceededError).retryable).toBe(false);
    // The parser never held more than the limit: the heap grew by far less than a runaway line would.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    expect(unhandled.errors).toEqual([]);
  });

  it("cuts a stream that only sends keep-alive pings with an idle TimeoutError", async () => {
    mode = "pings";
    const error = await streamFailure(clientFor(provider, { streamIdleMs: 300 }));
    await closed;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT", phase: "idle", timeoutMs: 300 });
  });

  it("ends a pinging stream at the total deadline even when idle is off", async () => {
    mode = "pings";
    const error = await streamFailure(clientFor(provider, { streamIdleMs: 0, streamTotalMs: 400 }));
    await closed;
    expect(error).toMatchObject({ code: "TIMEOUT", phase: "total", timeoutMs: 400 });
  });

  it("fails a JSON body that grows past maxBodyBytes with LimitExceededError", async () => {
    mode = "huge-json";
    const error = await clientFor(provider, { maxBodyBytes: 1024 * 1024 })
      .generate(ask)
      .catch((e: unknown) => e);
    await closed;
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: "bodyBytes", max: 1024 * 1024 });
  });
});
