import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortError,
  LimitExceededError,
  NetworkError,
  ParseError,
  RateLimitError,
} from "../errors/index.js";
import type { JsonValue } from "../json.js";
import type { StreamEvent } from "../stream-event.js";
import { collect, encode, fromChunks } from "../test-support/bytes.js";
import { startServer, type TestServer } from "../test-support/http-server.js";
import { createFetchTransport } from "../transport/fetch-transport.js";
import type { Transport, TransportRequest } from "../transport.js";
import {
  type BinaryFraming,
  driveStream,
  type StreamHandler,
  type StreamPlan,
} from "./drive-stream.js";

let server: TestServer;
const seen: Array<{ url: string; headers: IncomingMessage["headers"]; body: string }> = [];
/** Resolves when the server sees the client close the `/endless` request. */
let endlessClosed: Promise<void> = Promise.resolve();

beforeAll(async () => {
  server = await startServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      seen.push({ url: req.url ?? "", headers: req.headers, body });
      switch (req.url) {
        case "/sse":
          res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "r1" });
          res.write("data: a\n\n");
          res.end("event: ping\ndata: b\n\ndata: c");
          return;
        case "/ndjson":
          res.writeHead(200, { "content-type": "application/x-ndjson" });
          res.write('{"n":1}\n\n{"n":2}\n');
          res.end('{"n":3}');
          return;
        case "/bad-ndjson":
          res.writeHead(200);
          res.write('{"n":1}\n');
          setTimeout(() => res.end('{"n":\n'), 10);
          return;
        case "/endless": {
          res.writeHead(200, { "content-type": "text/event-stream" });
          const timer = setInterval(() => res.write("data: tick\n\n"), 5);
          endlessClosed = new Promise((resolve) =>
            res.on("close", () => {
              clearInterval(timer);
              resolve();
            }),
          );
          res.write("data: tick\n\n");
          return;
        }
        case "/binary":
          // Three length-prefixed frames ("ab", "", "cde") cut mid-prefix and mid-frame.
          res.writeHead(200, { "content-type": "application/octet-stream" });
          res.write(Buffer.from([2, 0x61]));
          setTimeout(() => {
            res.write(Buffer.from([0x62, 0, 3]));
            res.end(Buffer.from([0x63, 0x64, 0x65]));
          }, 5);
          return;
        case "/binary-cut":
          res.writeHead(200, { "content-type": "application/octet-stream" });
          res.end(Buffer.from([2, 0x61, 0x62, 5, 0x63]));
          return;
        case "/429":
          res.writeHead(429, { "retry-after-ms": "50" });
          res.end('{"error":{"message":"slow down"}}');
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

/** Each frame as a text-delta; `end` appends a finish. */
class Echo implements StreamHandler<string | JsonValue> {
  readonly frames: Array<string | JsonValue> = [];
  constructor(readonly headers: Record<string, string>) {}
  push(frame: string | JsonValue, out: StreamEvent[]): void {
    this.frames.push(frame);
    out.push({
      type: "text-delta",
      delta: typeof frame === "string" ? frame : JSON.stringify(frame),
    });
  }
  end(out: StreamEvent[]): void {
    out.push({ type: "finish", finishReason: "stop", usage: usage() });
  }
}

function usage() {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
}

function plan(path: string, open = (headers: Record<string, string>) => new Echo(headers)) {
  return (): StreamPlan<string> => ({
    send: { provider: "test", url: `${server.url}${path}`, headers: { "x-static": "s" }, body: {} },
    open,
  });
}

const deltas = (events: StreamEvent[]) =>
  events.map((e) => (e.type === "text-delta" ? e.delta : e.type));

/** A toy binary framing: one length byte, then that many bytes of ASCII; frames bounded by maxEventBytes. */
const lengthPrefixed: BinaryFraming<string> = {
  open: (limits) => {
    let pending = new Uint8Array(0);
    return {
      feed(chunk) {
        const all = new Uint8Array(pending.length + chunk.length);
        all.set(pending);
        all.set(chunk, pending.length);
        const frames: string[] = [];
        let at = 0;
        while (at < all.length) {
          const size = all[at] as number;
          if (size > limits.maxEventBytes)
            throw new ParseError("frame too large", { where: "frame" });
          if (at + 1 + size > all.length) break;
          frames.push(new TextDecoder().decode(all.subarray(at + 1, at + 1 + size)));
          at += 1 + size;
        }
        pending = all.slice(at);
        return frames;
      },
      end() {
        if (pending.length > 0) throw new ParseError("body ended inside a frame", { where: "end" });
        return [];
      },
    };
  },
};

function binaryPlan(path: string, limits?: { maxEventBytes: number }) {
  return (): StreamPlan<string> => ({
    send: {
      provider: "test",
      url: `${server.url}${path}`,
      body: {},
      ...(limits ? { limits } : {}),
    },
    open: (headers) => new Echo(headers),
  });
}

describe("driveStream with a binary framing", () => {
  it("hands the raw bytes to the framing's decoder and each decoded frame to the handler", async () => {
    const events = await collect(
      driveStream(transport, undefined, lengthPrefixed, binaryPlan("/binary")),
    );
    expect(deltas(events)).toEqual(["ab", "", "cde", "finish"]);
  });

  it("yields the frames before a body that ends inside a frame, then throws the decoder's error", async () => {
    const events: StreamEvent[] = [];
    const failure = await (async () => {
      try {
        for await (const event of driveStream(
          transport,
          undefined,
          lengthPrefixed,
          binaryPlan("/binary-cut"),
        ))
          events.push(event);
      } catch (error) {
        return error;
      }
    })();
    expect(deltas(events)).toEqual(["ab"]);
    expect(failure).toBeInstanceOf(ParseError);
    expect((failure as ParseError).message).toContain("inside a frame");
  });

  it("passes the resolved limits to the decoder, which rejects a frame over them", async () => {
    await expect(
      collect(
        driveStream(
          transport,
          undefined,
          lengthPrefixed,
          binaryPlan("/binary", { maxEventBytes: 1 }),
        ),
      ),
    ).rejects.toThrow("frame too large");
  });
});

describe("driveStream", () => {
  it("hands each SSE event's data to the handler and yields its events, then the closing ones", async () => {
    let handler: Echo | undefined;
    const events = await collect(
      driveStream(
        transport,
        undefined,
        "sse",
        plan("/sse", (h) => (handler = new Echo(h))),
      ),
    );
    expect(deltas(events)).toEqual(["a", "b", "c", "finish"]);
    expect(handler?.headers["x-request-id"]).toBe("r1");
  });

  it("hands each NDJSON line's value to the handler, skipping blank lines", async () => {
    const events = await collect(driveStream(transport, undefined, "ndjson", plan("/ndjson")));
    expect(deltas(events)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', "finish"]);
  });

  it("sends the call's headers over the static ones, and the body as JSON", async () => {
    seen.length = 0;
    await collect(
      driveStream(
        transport,
        { headers: { "x-call": "c", "X-Static": "over" } },
        "sse",
        plan("/sse"),
      ),
    );
    expect(seen[0]?.headers["x-call"]).toBe("c");
    expect(seen[0]?.headers["x-static"]).toBe("over");
    expect(seen[0]?.body).toBe("{}");
  });

  it("passes the call's signal and first-token / idle timeouts to the transport", async () => {
    const requests: TransportRequest[] = [];
    const recording: Transport = {
      request: (request) => {
        requests.push(request);
        return transport.request(request);
      },
    };
    await collect(
      driveStream(
        recording,
        { firstTokenTimeoutMs: 1_000, idleTimeoutMs: 2_000 },
        "sse",
        plan("/sse"),
      ),
    );
    expect(requests[0]?.headersTimeoutMs).toBe(1_000);
    expect(requests[0]?.bodyTimeoutMs).toBe(2_000);
    expect(requests[0]?.signal).toBeInstanceOf(AbortSignal);
    // A stream that ran to its end is not aborted.
    expect(requests[0]?.signal?.aborted).toBe(false);
  });

  it("yields the events before a handler error, then throws it", async () => {
    const failing = (headers: Record<string, string>) =>
      new (class extends Echo {
        override push(frame: string, out: StreamEvent[]): void {
          if (frame === "b") throw new NetworkError("bad frame b");
          super.push(frame, out);
        }
      })(headers);
    const events: StreamEvent[] = [];
    const error = await (async () => {
      for await (const event of driveStream(transport, undefined, "sse", plan("/sse", failing)))
        events.push(event);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe("bad frame b");
    expect(deltas(events)).toEqual(["a"]);
  });

  it("yields the frames' events before an error thrown by end()", async () => {
    const tooSoon = (headers: Record<string, string>) =>
      new (class extends Echo {
        override end(): void {
          throw new NetworkError("ended before it finished");
        }
      })(headers);
    const events: StreamEvent[] = [];
    const error = await (async () => {
      for await (const event of driveStream(transport, undefined, "sse", plan("/sse", tooSoon)))
        events.push(event);
    })().catch((e: unknown) => e);
    expect((error as Error).message).toBe("ended before it finished");
    expect(deltas(events)).toEqual(["a", "b", "c"]);
  });

  it("throws the NDJSON ParseError for a malformed line after the earlier lines' events", async () => {
    const events: StreamEvent[] = [];
    const error = await (async () => {
      for await (const event of driveStream(transport, undefined, "ndjson", plan("/bad-ndjson")))
        events.push(event);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).where).toMatch(/^line 2/);
    expect(deltas(events)).toEqual(['{"n":1}']);
  });

  it("maps a non-2xx answer with the plan's mapError", async () => {
    const error = await collect(
      driveStream(transport, undefined, "sse", () => ({
        send: { provider: "test", url: `${server.url}/429`, body: {} },
        open: (headers) => new Echo(headers),
      })),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(50);
  });

  it("ends the HTTP request when the consumer breaks out of the loop", async () => {
    const requests: TransportRequest[] = [];
    const recording: Transport = {
      request: (request) => {
        requests.push(request);
        return transport.request(request);
      },
    };
    for await (const event of driveStream(recording, undefined, "sse", plan("/endless"))) {
      expect(event).toEqual({ type: "text-delta", delta: "tick" });
      break;
    }
    expect(requests[0]?.signal?.aborted).toBe(true);
    await endlessClosed;
  });

  it("ends a stream that never stops once it has sent maxStreamBytes", async () => {
    const endless = (): StreamPlan<string> => ({
      ...plan("/endless")(),
      send: {
        provider: "test",
        url: `${server.url}/endless`,
        body: {},
        limits: { maxStreamBytes: 200 },
      },
    });
    const received: StreamEvent[] = [];
    const error = await (async () => {
      for await (const event of driveStream(transport, undefined, "sse", endless))
        received.push(event);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: "streamBytes", max: 200 });
    // 12 bytes a tick: what was handed out stayed within the bound.
    expect(received.length).toBeGreaterThan(0);
    expect(received.length * 12).toBeLessThanOrEqual(200);
    await endlessClosed;
  });

  it("aborts the call's signal before it returns the body", async () => {
    let abortedAtReturn: boolean | undefined;
    const fake: Transport = {
      async request(request) {
        const body = (async function* () {
          try {
            yield encode("data: 1\n\n");
            yield encode("data: 2\n\n");
          } finally {
            abortedAtReturn = request.signal?.aborted;
          }
        })();
        return {
          status: 200,
          headers: {},
          body,
          text: async () => "",
          json: async () => null,
          cancel: async () => {},
        };
      },
    };
    for await (const _ of driveStream(fake, undefined, "sse", plan("/fake"))) break;
    expect(abortedAtReturn).toBe(true);
  });

  it("decodes a UTF-8 character split across chunks and strips a leading BOM", async () => {
    const bytes = encode("\uFEFFdata: h\u00e9\n\n");
    const at = bytes.indexOf(0xc3) + 1;
    const fake: Transport = {
      request: async () => ({
        status: 200,
        headers: {},
        body: fromChunks([bytes.subarray(0, at), bytes.subarray(at)]),
        text: async () => "",
        json: async () => null,
        cancel: async () => {},
      }),
    };
    const events = await collect(driveStream(fake, undefined, "sse", plan("/fake")));
    expect(deltas(events)).toEqual(["h\u00e9", "finish"]);
  });

  it("builds the request only when iterated, and refuses an aborted signal without sending", async () => {
    let prepared = 0;
    const stream = driveStream(transport, undefined, "sse", () => {
      prepared++;
      return plan("/sse")();
    });
    expect(prepared).toBe(0);
    await collect(stream);
    expect(prepared).toBe(1);

    seen.length = 0;
    const controller = new AbortController();
    controller.abort();
    await expect(
      collect(driveStream(transport, { signal: controller.signal }, "sse", plan("/sse"))),
    ).rejects.toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(0);
  });

  it("serves next() calls made without awaiting one by one, in order, as a generator would", async () => {
    const stream = driveStream(transport, undefined, "sse", plan("/sse"));
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(() => stream.next()));
    expect(results.map((r) => (r.done ? "done" : deltas([r.value])[0]))).toEqual([
      "a",
      "b",
      "c",
      "finish",
      "done",
      "done",
    ]);
  });

  it("sends nothing when return() comes before the first next(), and is done after it", async () => {
    let prepared = 0;
    seen.length = 0;
    const stream = driveStream(transport, undefined, "sse", () => {
      prepared++;
      return plan("/sse")();
    });
    expect(await stream.return()).toEqual({ done: true, value: undefined });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(prepared).toBe(0);
    expect(seen).toHaveLength(0);
  });

  it("ends the HTTP request and rejects with the error when throw() is called mid-stream", async () => {
    const requests: TransportRequest[] = [];
    const recording: Transport = {
      request: (request) => {
        requests.push(request);
        return transport.request(request);
      },
    };
    const stream = driveStream(recording, undefined, "sse", plan("/endless"));
    expect(await stream.next()).toEqual({
      done: false,
      value: { type: "text-delta", delta: "tick" },
    });
    const stop = new Error("consumer gave up");
    await expect(stream.throw(stop)).rejects.toBe(stop);
    expect(requests[0]?.signal?.aborted).toBe(true);
    await endlessClosed;
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it("rejects throw() before the first next() without sending", async () => {
    seen.length = 0;
    const stream = driveStream(transport, undefined, "sse", plan("/sse"));
    const stop = new Error("never mind");
    await expect(stream.throw(stop)).rejects.toBe(stop);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(seen).toHaveLength(0);
  });

  it("serves return() and throw() made while a next() is pending after it, as a generator would", async () => {
    const requests: TransportRequest[] = [];
    const recording: Transport = {
      request: (request) => {
        requests.push(request);
        return transport.request(request);
      },
    };
    const stream = driveStream(recording, undefined, "sse", plan("/endless"));
    const first = stream.next();
    const stopped = stream.return();
    const stop = new Error("too late");
    const thrown = stream.throw(stop);
    expect(await first).toEqual({ done: false, value: { type: "text-delta", delta: "tick" } });
    expect(await stopped).toEqual({ done: true, value: undefined });
    await expect(thrown).rejects.toBe(stop);
    expect(requests[0]?.signal?.aborted).toBe(true);
    await endlessClosed;
  });

  it("is its own async iterator and serves return() after the stream completed", async () => {
    const stream = driveStream(transport, undefined, "sse", plan("/sse"));
    expect(stream[Symbol.asyncIterator]()).toBe(stream);
    expect(deltas(await collect(stream))).toEqual(["a", "b", "c", "finish"]);
    expect(await stream.return()).toEqual({ done: true, value: undefined });
  });
});
