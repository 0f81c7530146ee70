import { AbortError, type BodySink } from "@llm/core";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool } from "../src/index.js";
import { endlessStream, serversClosedAfterEach, type TestServer, waitFor } from "./servers.js";

// Registered first: vitest runs after-hooks in reverse, so the pool goes before its servers.
const serve = serversClosedAfterEach();
let server: TestServer | undefined;
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
});

const get = (path = "/", signal?: AbortSignal) => ({
  url: server?.url(path) ?? "",
  method: "GET" as const,
  headers: {},
  ...(signal ? { signal } : {}),
});

/** A sink that records what it is handed; `accept` decides what `write` returns. */
class RecordingSink implements BodySink {
  bytes = 0;
  writes = 0;
  ended = false;
  error: unknown;
  accept: (writes: number) => boolean = () => true;
  readonly text: string[] = [];
  write(chunk: Uint8Array): boolean {
    this.writes++;
    this.bytes += chunk.length;
    this.text.push(Buffer.from(chunk).toString());
    return this.accept(this.writes);
  }
  end(): void {
    this.ended = true;
  }
  fail(error: unknown): void {
    this.error = error;
  }
}

describe("piped response body", () => {
  it("writes the chunks that arrived before pipe(), then the rest, then ends", async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: 1\n\n");
      setTimeout(() => res.end("data: 2\n\n"), 20);
    });
    pool = new ConnectionPool();
    const res = await pool.request(get());
    await new Promise((r) => setTimeout(r, 5)); // the first frame is held until piped
    const sink = new RecordingSink();
    res.pipe?.(sink);
    await waitFor(() => sink.ended, "the end of the body");
    expect(sink.text.join("")).toBe("data: 1\n\ndata: 2\n\n");
    expect(sink.error).toBeUndefined();
    await waitFor(() => pool?.stats(server?.origin ?? "")?.inFlight === 0, "the slot released");
  });

  it("pauses the socket while the sink refuses more and delivers every byte after resume", async () => {
    const block = Buffer.alloc(16 * 1024, "abcdefgh");
    server = await serve((_req, res) => {
      res.writeHead(200, { "content-length": String(block.length * 64) });
      for (let i = 0; i < 64; i++) res.write(block);
      res.end();
    });
    pool = new ConnectionPool();
    const res = await pool.request(get());
    const sink = new RecordingSink();
    sink.accept = () => false;
    const resume = res.pipe?.(sink) as () => void;
    await waitFor(() => sink.writes >= 1, "a first chunk");
    await new Promise((r) => setTimeout(r, 20));
    // Paused: the sink was handed one chunk and nothing more while it refused.
    expect(sink.writes).toBe(1);
    sink.accept = () => true;
    resume();
    await waitFor(() => sink.ended, "the end of the body");
    expect(sink.bytes).toBe(block.length * 64);
  });

  it("fails the sink with AbortError when the request's signal aborts mid-body", async () => {
    server = await serve(endlessStream(5));
    pool = new ConnectionPool();
    const controller = new AbortController();
    const res = await pool.request(get("/", controller.signal));
    const sink = new RecordingSink();
    res.pipe?.(sink);
    await waitFor(() => sink.writes >= 1, "a first chunk");
    controller.abort();
    await waitFor(() => sink.error !== undefined, "the failure");
    expect(sink.error).toBeInstanceOf(AbortError);
    expect(sink.ended).toBe(false);
  });

  it("calls the sink no more once the body is cancelled", async () => {
    server = await serve(endlessStream(2));
    pool = new ConnectionPool();
    const res = await pool.request(get());
    const sink = new RecordingSink();
    res.pipe?.(sink);
    await waitFor(() => sink.writes >= 1, "a first chunk");
    await res.cancel();
    const writes = sink.writes;
    await new Promise((r) => setTimeout(r, 20));
    expect(sink.writes).toBe(writes);
    expect(sink.error).toBeUndefined();
    expect(sink.ended).toBe(false);
  });

  it("fails the sink when the body broke before it was piped", async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("data: 1\n\n");
      setTimeout(() => res.destroy(), 5);
    });
    pool = new ConnectionPool();
    const res = await pool.request(get());
    await waitFor(() => pool?.stats(server?.origin ?? "")?.inFlight === 0, "the broken body");
    const sink = new RecordingSink();
    res.pipe?.(sink);
    expect(sink.text.join("")).toBe("data: 1\n\n");
    expect(sink.error).toBeDefined();
    expect(sink.ended).toBe(false);
  });
});
