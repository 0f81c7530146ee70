import { describe, expect, it } from "vitest";
import { AbortError, TimeoutError } from "../errors/index.js";
import type { StreamEvent } from "../stream-event.js";
import { encode } from "../test-support/bytes.js";
import type { BodySink, Transport, TransportRequest, TransportResponse } from "../transport.js";
import { driveStream, type StreamPlan } from "./drive-stream.js";

/**
 * A transport that honours abort handles, as `@llm/pool` does: it listens to
 * the request's aborter — while "waiting for headers" (until `respond()`), then
 * on the body — and records what the driver sent and how the request ended.
 */
class AbortableTransport {
  request: TransportRequest | undefined;
  sink: BodySink | undefined;
  aborted: Error | undefined;
  cancelled = false;
  #respond: (() => void) | undefined;

  readonly transport: Transport = {
    abortHandles: true,
    request: (request) => {
      this.request = request;
      return new Promise<TransportResponse>((resolve, reject) => {
        request.aborter?.listen({
          abortRequest: (reason) => {
            this.aborted = reason;
            reject(reason);
          },
        });
        this.#respond = () => {
          request.aborter?.listen({
            abortRequest: (reason) => {
              this.aborted = reason;
              this.sink?.fail(reason);
            },
          });
          resolve(this.#response());
        };
      });
    },
  };

  /** The headers arrive. */
  respond(): void {
    (this.#respond as () => void)();
  }

  #response(): TransportResponse {
    return {
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
        return () => {};
      },
    };
  }
}

const plan = (): StreamPlan<string> => ({
  send: { provider: "test", url: "http://127.0.0.1:1/v1/stream", body: {} },
  open: () => ({
    push(frame, out) {
      out.push({ type: "text-delta", delta: frame });
    },
    end(out) {
      out.push({
        type: "finish",
        finishReason: "stop",
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      });
    },
  }),
});

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe("driveStream over a transport with abort handles", () => {
  it("sends an aborter and no signal of its own, and never aborts a stream read to its end", async () => {
    const t = new AbortableTransport();
    const stream = driveStream(t.transport, undefined, "sse", plan);
    const first = stream.next();
    await until(() => t.request !== undefined);
    expect(t.request?.signal).toBeUndefined();
    expect(t.request?.aborter).toBeDefined();
    t.respond();
    await until(() => t.sink !== undefined);
    t.sink?.write(encode("data: a\n\n"));
    t.sink?.end();
    const events: StreamEvent[] = [(await first).value as StreamEvent];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual(["text-delta", "finish"]);
    expect(t.request?.aborter?.aborted).toBe(false);
    expect(t.aborted).toBeUndefined();
  });

  it("passes the caller's signal to the transport as it is", async () => {
    const t = new AbortableTransport();
    const caller = new AbortController();
    const stream = driveStream(t.transport, { signal: caller.signal }, "sse", plan);
    const first = stream.next();
    await until(() => t.request !== undefined);
    expect(t.request?.signal).toBe(caller.signal);
    t.respond();
    await until(() => t.sink !== undefined);
    t.sink?.end();
    expect((await first).value).toMatchObject({ type: "finish" });
  });

  it("aborts through the aborter, then releases the body, when the consumer stops early", async () => {
    const t = new AbortableTransport();
    const stream = driveStream(t.transport, undefined, "sse", plan);
    const first = stream.next();
    await until(() => t.request !== undefined);
    t.respond();
    await until(() => t.sink !== undefined);
    t.sink?.write(encode("data: a\n\n"));
    expect((await first).value).toMatchObject({ type: "text-delta", delta: "a" });
    expect(await stream.return()).toEqual({ done: true, value: undefined });
    expect(t.aborted).toBeInstanceOf(AbortError);
    expect(t.cancelled).toBe(true);
  });

  it("aborts a request still waiting for its headers when the stream's deadline passes", async () => {
    const t = new AbortableTransport();
    const stream = driveStream(t.transport, { timeoutMs: 20 }, "sse", plan);
    const error = await stream.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(t.aborted).toBe(error);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it("fails a piped stream with the idle limit's TimeoutError through the aborter", async () => {
    const t = new AbortableTransport();
    const stream = driveStream(t.transport, { idleTimeoutMs: 20 }, "sse", plan);
    const first = stream.next();
    await until(() => t.request !== undefined);
    t.respond();
    const error = await first.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe("idle");
    expect(t.cancelled).toBe(true);
  });
});
