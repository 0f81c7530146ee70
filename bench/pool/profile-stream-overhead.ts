/**
 * A profiling aid, not a benchmark: the provider's own per-stream work with the network
 * taken out. An in-memory Transport answers every call with the pool bench's 50 SSE frames
 * (one chunk per frame, each delivered after a macrotask as a socket read would be), and these
 * clients consume it in alternating rounds:
 *   - "floor": the pool bench's floor — each chunk decoded, SSE-parsed and JSON-parsed inside the
 *     macrotask that delivers it, no promise at all (as in undici's `onData`);
 *   - "parser": the same work over the body's async iterator (the "transport + parser" row);
 *   - "driver": core's `driveStream` with a handler that only parses (the driver's own cost);
 *   - "driver-piped": the same over a response with `pipe()`;
 *   - "provider": `@llm/provider-openai` `stream()`, iterated with `for await`, the body iterated;
 *   - "provider-piped": the same over a response with `pipe()` and abort handles, as `@llm/pool` answers.
 * The differences are what `stream()` adds per stream. `ONLY=<client>` runs one of them, for
 * `node --cpu-prof` (or `valgrind --tool=callgrind`: two round counts, differenced, give
 * deterministic instructions per stream).
 *
 *   cd bench && node --expose-gc --conditions=@llm/source --import tsx pool/profile-stream-overhead.ts [rounds]
 *   (STREAMS=<n> sets the streams per round, 400 by default: fewer keep a callgrind run short)
 */
import {
  type BodySink,
  driveStream,
  type RequestAborter,
  type StreamEvent,
  type Transport,
  type TransportResponse,
} from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";
import { FloorStreamReader } from "./floor-stream-reader.js";
import { streamFrames } from "./openai-answers.mjs";

const rounds = Number(process.argv[2] ?? 8);
const STREAMS_PER_ROUND = Number(process.env.STREAMS ?? 400);
const CONCURRENCY = 16;
const gc = (globalThis as { gc?: () => void }).gc;

const chunks: readonly Uint8Array[] = streamFrames;

/** A body that hands out one chunk per macrotask, like one socket read per frame. */
function body(): AsyncIterable<Uint8Array> {
  let i = 0;
  return {
    [Symbol.asyncIterator]: () => ({
      next: () =>
        new Promise<IteratorResult<Uint8Array>>((resolve) =>
          setImmediate(() =>
            resolve(
              i < chunks.length
                ? { done: false, value: chunks[i++] as Uint8Array }
                : { done: true, value: undefined },
            ),
          ),
        ),
      return: () => Promise.resolve({ done: true as const, value: undefined }),
    }),
  };
}

/** Hands `sink` one chunk per macrotask, as a transport's read callback would; `stop()` ends that. */
function pipeChunks(sink: BodySink, aborter?: RequestAborter): () => void {
  let i = 0;
  const step = () => {
    if (aborter?.aborted) sink.fail(aborter.reason);
    else if (i < chunks.length) {
      sink.write(chunks[i++] as Uint8Array);
      setImmediate(step);
    } else sink.end();
  };
  setImmediate(step);
  return () => {};
}

const response = (piped: boolean, aborter?: RequestAborter): TransportResponse => ({
  status: 200,
  headers: { "content-type": "text/event-stream", "x-request-id": "req_bench" },
  body: body(),
  text: () => Promise.reject(new Error("not used")),
  json: () => Promise.reject(new Error("not used")),
  cancel: () => Promise.resolve(),
  ...(piped ? { pipe: (sink: BodySink) => pipeChunks(sink, aborter) } : {}),
});
const transport: Transport = { request: () => Promise.resolve(response(false)) };
/** Piped, and honouring abort handles as `@llm/pool` does (the stream then makes no AbortController). */
const pipedTransport: Transport = {
  abortHandles: true,
  request: (request) => Promise.resolve(response(true, request.aborter)),
};
const settings = { baseURL: "http://127.0.0.1:1/v1", apiKey: "sk-x", model: "m" };
const provider = createOpenAI({ transport, ...settings });
const pipedProvider = createOpenAI({ transport: pipedTransport, ...settings });
const messages = [{ role: "user" as const, content: "Say something about foxes." }];

async function parserOnly(): Promise<number> {
  const r = await transport.request({
    url: "http://127.0.0.1:1/v1/chat/completions",
    method: "POST",
    headers: {},
  });
  const reader = new FloorStreamReader();
  for await (const bytes of r.body) reader.feed(bytes);
  return reader.end();
}

/** The floor: every chunk consumed synchronously in the macrotask that delivers it. */
function floor(): Promise<number> {
  const reader = new FloorStreamReader();
  return new Promise((resolve) =>
    pipeChunks({
      write: (bytes) => {
        reader.feed(bytes);
        return true;
      },
      end: () => resolve(reader.end()),
      fail: () => {},
    }),
  );
}

async function providerStream(): Promise<number> {
  let n = 0;
  for await (const _event of provider.stream({ messages })) n++;
  return n;
}

async function pipedProviderStream(): Promise<number> {
  let n = 0;
  for await (const _event of pipedProvider.stream({ messages })) n++;
  return n;
}

/** `driveStream` with a handler that only parses and emits one text delta: the driver's own cost. */
async function driverOnly(over: Transport = transport): Promise<number> {
  let n = 0;
  const stream = driveStream(over, undefined, "sse", () => ({
    send: { provider: "x", url: "http://127.0.0.1:1/v1/chat/completions", body: "{}" },
    open: () => ({
      push(data: string, out: StreamEvent[]) {
        if (data !== "[DONE]") {
          JSON.parse(data);
          out.push({ type: "text-delta", delta: data });
        }
      },
      end() {},
    }),
  }));
  for await (const _event of stream) n++;
  return n;
}

async function measure(op: () => Promise<number>): Promise<number> {
  gc?.();
  const cpu0 = process.cpuUsage();
  let left = STREAMS_PER_ROUND;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await op();
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / STREAMS_PER_ROUND;
}

const all: Array<[string, () => Promise<number>]> = [
  ["floor", floor],
  ["parser", parserOnly],
  ["driver", () => driverOnly()],
  ["driver-piped", () => driverOnly(pipedTransport)],
  ["provider", providerStream],
  ["provider-piped", pipedProviderStream],
];
// ONLY=provider (say) runs one client, for a profile of it alone; ONLY=floor,provider-piped a few.
const only = process.env.ONLY?.split(",");
const clients = only ? all.filter(([name]) => only.includes(name)) : all;
const totals = new Map<string, number>();
for (const [, op] of clients) await measure(op); // warm-up
for (let round = 0; round < rounds; round++) {
  for (let turn = 0; turn < clients.length; turn++) {
    const [name, op] = clients[(round + turn) % clients.length] as [string, () => Promise<number>];
    totals.set(name, (totals.get(name) ?? 0) + (await measure(op)));
  }
}
const floorUs = (totals.get("floor") ?? 0) / rounds;
for (const [name] of clients) {
  const us = (totals.get(name) ?? 0) / rounds;
  const vsFloor = floorUs > 0 ? ` (${(us / floorUs).toFixed(2)}× floor)` : "";
  console.log(`${name} ${us.toFixed(1)} µs/stream${vsFloor}`);
}
