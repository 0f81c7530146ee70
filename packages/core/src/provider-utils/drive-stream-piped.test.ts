import { describe, expect, it } from "vitest";
import { LimitExceededError, NetworkError, TimeoutError } from "../errors/index.js";
import type { StreamEvent } from "../stream-event.js";
import { encode } from "../test-support/bytes.js";
import type { BodySink, Transport, TransportRequest, TransportResponse } from "../transport.js";
import { driveStream, type StreamHandler, type StreamPlan } from "./drive-stream.js";

/**
 * A transport whose response has `pipe()`, driven by the test: `write`, `end`
 * and `fail` go straight to the driver's sink, as a transport's read callback
 * would call them. Records what the driver asks of it.
 */
class PipedBody {
  sink: BodySink | undefined;
  request: TransportRequest | undefined;
  cancelled = false;
  resumes = 0;
  /** What the sink's write returned, chunk by chunk. */
  readonly accepted: boolean[] = [];
  /** Chunks that arrived before the driver piped the body. */
  readonly early: Uint8Array[] = [];

  readonly transport: Transport = {
    request: (request) => {
      this.request = request;
      const response: TransportResponse = {
        status: 200,
        headers: { "content-type": "text/event-stream" },
        body: {
          [Symbol.asyncIterator]: () => {
            throw new Error("iterated, not piped");
          },
        },
        text: async () => "",
        json: async () => null,
        cancel: async () => {
          this.cancelled = true;
        },
        pipe: (sink) => {
          this.sink = sink;
          for (const chunk of this.early) this.accepted.push(sink.write(chunk));
          return () => {
            this.resumes++;
          };
        },
      };
      return Promise.resolve(response);
    },
  };

  write(text: string): void {
    this.accepted.push((this.sink as BodySink).write(encode(text)));
  }
}

/** Each frame as a text-delta; `end` appends a finish. */
const echo = (): StreamHandler<string> => ({
  push(frame, out) {
    if (frame === "boom") throw new NetworkError("the handler refused the frame");
    out.push({ type: "text-delta", delta: frame });
  },
  end(out) {
    out.push({
      type: "finish",
      finishReason: "stop",
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    });
  },
});

const plan =
  (limits?: { maxLineBytes?: number; maxStreamBytes?: number; streamIdleMs?: number }) =>
  (): StreamPlan<string> => ({
    send: {
      provider: "test",
      url: "http://127.0.0.1:1/v1/stream",
      body: {},
      ...(limits && { limits }),
    },
    open: echo,
  });

const label = (event: StreamEvent) => (event.type === "text-delta" ? event.delta : event.type);

/** Waits until `piped` has its sink (the driver sent the request and piped the body). */
async function piped(body: PipedBody): Promise<BodySink> {
  while (body.sink === undefined) await new Promise((resolve) => setImmediate(resolve));
  return body.sink;
}

describe("driveStream over a piped body", () => {
  it("hands out events written before and after a next() is waiting, then the end", async () => {
    const body = new PipedBody();
    body.early.push(encode("data: a\n\n"));
    const stream = driveStream(body.transport, undefined, "sse", plan());
    expect(label((await stream.next()).value as StreamEvent)).toBe("a");
    const waiting = stream.next();
    body.write("data: b\n\ndata: c\n\n");
    expect(label((await waiting).value as StreamEvent)).toBe("b");
    expect(label((await stream.next()).value as StreamEvent)).toBe("c");
    (body.sink as BodySink).end();
    expect(label((await stream.next()).value as StreamEvent)).toBe("finish");
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(body.cancelled).toBe(false);
  });

  it("pauses the body when events pile up past the high-water mark and resumes as they drain", async () => {
    const body = new PipedBody();
    const stream = driveStream(body.transport, undefined, "sse", plan());
    const first = stream.next();
    await piped(body);
    body.write("data: 0\n\n");
    await first;
    for (let i = 1; i <= 300; i++) body.write(`data: ${i}\n\n`);
    expect(body.accepted.indexOf(false)).toBeGreaterThan(0);
    expect(body.resumes).toBe(0);
    const seen: string[] = [];
    for (let i = 1; i <= 300; i++) seen.push(label((await stream.next()).value as StreamEvent));
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => String(i + 1)));
    expect(body.resumes).toBe(1);
    await stream.return();
    expect(body.cancelled).toBe(true);
  });

  it("hands out the events before a handler error, then throws it and cancels the body", async () => {
    const body = new PipedBody();
    const stream = driveStream(body.transport, undefined, "sse", plan());
    const first = stream.next();
    await piped(body);
    body.write("data: a\n\ndata: boom\n\n");
    expect(label((await first).value as StreamEvent)).toBe("a");
    expect(body.accepted).toEqual([false]);
    await expect(stream.next()).rejects.toBeInstanceOf(NetworkError);
    expect(body.cancelled).toBe(true);
    expect(body.request?.signal?.aborted).toBe(true);
  });

  it("throws the parser's limit error after the events already queued", async () => {
    const body = new PipedBody();
    const stream = driveStream(body.transport, undefined, "sse", plan({ maxLineBytes: 16 }));
    const first = stream.next();
    await piped(body);
    body.write("data: a\n\n");
    body.write(`data: ${"x".repeat(32)}\n\n`);
    body.write("data: ignored\n\n");
    expect(body.accepted).toEqual([true, false, false]);
    expect(label((await first).value as StreamEvent)).toBe("a");
    await expect(stream.next()).rejects.toBeInstanceOf(LimitExceededError);
  });

  it("fails a stream past maxStreamBytes after the events before it, the crossing chunk unread", async () => {
    // Many small events, each within the line and event limits: only the total bounds them.
    const body = new PipedBody();
    const stream = driveStream(body.transport, undefined, "sse", plan({ maxStreamBytes: 20 }));
    const first = stream.next();
    await piped(body);
    body.write("data: a\n\n"); // 9 bytes
    body.write("data: b\n\n"); // 18
    body.write("data: c\n\n"); // 27: past the limit
    expect(body.accepted).toEqual([true, true, false]);
    expect(label((await first).value as StreamEvent)).toBe("a");
    expect(label((await stream.next()).value as StreamEvent)).toBe("b");
    const error = await stream.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: "streamBytes", max: 20, value: 27, provider: "test" });
    expect((error as Error).message).toBe(
      "test stream exceeds the streamBytes limit of 20 (got at least 27)",
    );
    expect(body.cancelled).toBe(true);
  });

  it("rejects a waiting next() with the transport's failure", async () => {
    const body = new PipedBody();
    const stream = driveStream(body.transport, undefined, "sse", plan());
    const first = stream.next();
    const sink = await piped(body);
    sink.fail(new TimeoutError("idle", 5));
    await expect(first).rejects.toBeInstanceOf(TimeoutError);
    // Nothing after the failure reaches the handler.
    expect(sink.write(encode("data: late\n\n"))).toBe(false);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it("aborts the request's signal when a caller's signal aborts mid-stream", async () => {
    const body = new PipedBody();
    const controller = new AbortController();
    const stream = driveStream(body.transport, { signal: controller.signal }, "sse", plan());
    const first = stream.next();
    await piped(body);
    body.write("data: a\n\n");
    await first;
    controller.abort();
    expect(body.request?.signal?.aborted).toBe(true);
    await stream.return();
    expect(body.cancelled).toBe(true);
  });

  it("completes a stream whose whole body arrived before it was piped", async () => {
    const body = new PipedBody();
    body.early.push(encode("data: a\n\n"));
    const stream = driveStream(body.transport, undefined, "sse", plan());
    const first = stream.next();
    const sink = await piped(body);
    sink.end();
    expect(label((await first).value as StreamEvent)).toBe("a");
    expect(label((await stream.next()).value as StreamEvent)).toBe("finish");
    expect((await stream.next()).done).toBe(true);
  });
});
