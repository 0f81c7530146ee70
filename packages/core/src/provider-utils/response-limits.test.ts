import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LimitExceededError, TimeoutError } from "../errors/index.js";
import type { StreamEvent } from "../stream-event.js";
import type { ResponseLimits } from "../streaming/limits.js";
import { collect } from "../test-support/bytes.js";
import { startServer, type TestServer } from "../test-support/http-server.js";
import { createFetchTransport } from "../transport/fetch-transport.js";
import { driveStream, type StreamHandler, type StreamPlan } from "./drive-stream.js";
import { sendJSON } from "./send.js";

let server: TestServer;
/** Resolves when the server sees the client drop the last endless response. */
let closed: Promise<void> = Promise.resolve();

/** Writes `chunk` every few ms until the client goes away. */
function writeForever(res: ServerResponse, contentType: string, first: string, chunk: string) {
  res.writeHead(200, { "content-type": contentType });
  res.write(first);
  const timer = setInterval(() => res.write(chunk), 2);
  closed = new Promise((resolve) =>
    res.on("close", () => {
      clearInterval(timer);
      resolve();
    }),
  );
}

beforeAll(async () => {
  server = await startServer((req, res) => {
    req.resume();
    req.on("end", () => {
      switch (req.url) {
        case "/endless-line":
          return writeForever(res, "text/event-stream", "data: ", "x".repeat(4096));
        case "/endless-ndjson-line":
          return writeForever(res, "application/x-ndjson", '{"n":1}\n', "1".repeat(4096));
        case "/pings":
          return writeForever(res, "text/event-stream", "data: hello\n\n", ": ping\n\n");
        case "/blank-lines":
          return writeForever(res, "application/x-ndjson", '{"n":1}\n', "\n");
        case "/events":
          return writeForever(res, "text/event-stream", "data: a\n\n", "data: tick\n\n");
        case "/huge-json-declared":
          res.writeHead(200, { "content-type": "application/json", "content-length": "50000" });
          res.end(`"${"j".repeat(49_998)}"`);
          return;
        case "/endless-json":
          return writeForever(res, "application/json", '{"a":"', "j".repeat(4096));
        case "/json":
          res.writeHead(200, { "content-type": "application/json" });
          res.end('{"ok":true}');
          return;
        default:
          res.writeHead(404);
          res.end();
      }
    });
  });
});

afterAll(() => server.close());

const transport = createFetchTransport();

class Echo implements StreamHandler<unknown> {
  push(frame: unknown, out: StreamEvent[]): void {
    out.push({ type: "text-delta", delta: String(frame) });
  }
  end(out: StreamEvent[]): void {
    out.push({
      type: "finish",
      finishReason: "stop",
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    });
  }
}

function plan(path: string, limits: ResponseLimits): () => StreamPlan<unknown> {
  return () => ({
    send: { provider: "test", url: `${server.url}${path}`, body: {}, limits },
    open: () => new Echo(),
  });
}

async function failureOf(iterable: AsyncIterable<unknown>): Promise<unknown> {
  return collect(iterable).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("driveStream limits over a socket", () => {
  it("cuts an SSE line that never ends with LimitExceededError and closes the request", async () => {
    const error = await failureOf(
      driveStream(transport, undefined, "sse", plan("/endless-line", { maxLineBytes: 64 * 1024 })),
    );
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "lineBytes", max: 64 * 1024 });
    await closed;
  });

  it("cuts an NDJSON line that never ends with LimitExceededError", async () => {
    const error = await failureOf(
      driveStream(
        transport,
        undefined,
        "ndjson",
        plan("/endless-ndjson-line", { maxLineBytes: 64 * 1024 }),
      ),
    );
    expect(error).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "lineBytes" });
    await closed;
  });

  it("cuts an SSE stream that only sends keep-alive comments with an idle TimeoutError", async () => {
    const events: StreamEvent[] = [];
    let error: unknown;
    try {
      for await (const event of driveStream(
        transport,
        undefined,
        "sse",
        plan("/pings", { streamIdleMs: 150 }),
      ))
        events.push(event);
    } catch (caught) {
      error = caught;
    }
    expect(events).toEqual([{ type: "text-delta", delta: "hello" }]);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT", phase: "idle", timeoutMs: 150 });
    await closed;
  });

  it("cuts an NDJSON stream that only sends blank lines with an idle TimeoutError", async () => {
    const error = await failureOf(
      driveStream(transport, undefined, "ndjson", plan("/blank-lines", { streamIdleMs: 150 })),
    );
    expect(error).toMatchObject({ code: "TIMEOUT", phase: "idle" });
    await closed;
  });

  it("ends a stream that never finishes at its default total deadline", async () => {
    const error = await failureOf(
      driveStream(transport, undefined, "sse", plan("/events", { streamTotalMs: 200 })),
    );
    expect(error).toMatchObject({ code: "TIMEOUT", phase: "total", timeoutMs: 200 });
    await closed;
  });

  it("lets the call's own idleTimeoutMs win over the limits' default", async () => {
    const error = await failureOf(
      driveStream(
        transport,
        { idleTimeoutMs: 120 },
        "sse",
        plan("/pings", { streamIdleMs: 600_000 }),
      ),
    );
    expect(error).toMatchObject({ code: "TIMEOUT", phase: "idle", timeoutMs: 120 });
    await closed;
  });
});

describe("sendJSON body limit over a socket", () => {
  const send = (path: string, maxBodyBytes: number) =>
    sendJSON(transport, {
      provider: "test",
      url: `${server.url}${path}`,
      body: {},
      limits: { maxBodyBytes },
    });

  it("refuses a body whose content-length is over maxBodyBytes without reading it", async () => {
    const error = await send("/huge-json-declared", 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: "bodyBytes", max: 10_000, value: 50_000 });
    expect((error as LimitExceededError).where).toBe("response body of test /huge-json-declared");
  });

  it("stops reading a body that grows past maxBodyBytes", async () => {
    const error = await send("/endless-json", 256 * 1024).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "LIMIT_EXCEEDED", limit: "bodyBytes", max: 256 * 1024 });
    expect((error as LimitExceededError).value).toBeGreaterThan(256 * 1024);
    expect((error as LimitExceededError).where).toBe("response body of test /endless-json");
    await closed;
  });

  it("reads a body within the limit", async () => {
    const result = await send("/json", 100);
    expect(result.value).toEqual({ ok: true });
  });
});
