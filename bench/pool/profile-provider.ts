/**
 * A profiling aid, not a benchmark: runs clients of the pool bench (same server.mjs, same
 * kind of clients) against a local server, one at a time for `node --cpu-prof`, or several
 * in alternating slices (rotated, GC before each) to compare their CPU per call. Modes:
 *   floor | floor-stream      undici `Pool.dispatch`, minimal handler + JSON.parse (stream:
 *                             + SSE parser), the floor the bench's ratios are taken against
 *   transport                 @llm/pool request + json()
 *   generate                  @llm/provider-openai generate()
 *   transport-stream[-signal] @llm/pool body iterated + SSE/JSON parse (with a caller signal)
 *   driver                    core's driveStream over the pool with a parse-only handler
 *   stream | stream-batched   @llm/provider-openai stream() (batched: 10 frames per write)
 *   stream-signal             the same over a transport without abort handles (own AbortController)
 *
 *   cd bench && node --expose-gc --conditions=@llm/source --import tsx \
 *     pool/profile-provider.ts <mode[,mode…]> [seconds] [concurrency]
 *   (add --cpu-prof --cpu-prof-dir=/tmp/prof before --conditions to profile one mode)
 */

import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { driveStream, type StreamEvent } from "@llm/core";
import { ConnectionPool } from "@llm/pool";
import { createOpenAI } from "@llm/provider-openai";
import { type Dispatcher, Pool } from "undici";
import { FloorStreamReader } from "./floor-stream-reader.js";

const [mode = "stream", secondsArg = "5", concurrencyArg = "16"] = process.argv.slice(2);
const API_KEY = "sk-bench-not-a-real-key";
const MODEL = "gpt-4o-mini";
const messages = [{ role: "user" as const, content: "Say something about foxes." }];

const child = fork(fileURLToPath(new URL("./server.mjs", import.meta.url)), [], {
  stdio: ["ignore", "pipe", "inherit", "ipc"],
  execArgv: [],
});
const port = await new Promise<number>((resolve) =>
  child.stdout?.once("data", (d: Buffer) =>
    resolve((JSON.parse(d.toString()) as { port: number }).port),
  ),
);
const origin = `http://127.0.0.1:${port}`;
const pool = new ConnectionPool({ connections: 64, maxQueue: 10_000 });
const prefix = mode === "stream-batched" ? "/batched" : "";
const provider = createOpenAI({
  transport: pool,
  baseURL: `${origin}${prefix}/v1`,
  apiKey: API_KEY,
  model: MODEL,
});
const headers = { "content-type": "application/json", authorization: `Bearer ${API_KEY}` };
const body = JSON.stringify({ model: MODEL, messages });

const ops: Record<string, () => Promise<unknown>> = {
  transport: async () => {
    const r = await pool.request({
      url: `${origin}/v1/chat/completions`,
      method: "POST",
      headers,
      body,
    });
    return r.json();
  },
  generate: () => provider.generate({ messages }),
  stream: async () => {
    let n = 0;
    for await (const _event of provider.stream({ messages })) n++;
    return n;
  },
};
ops["stream-batched"] = ops.stream as () => Promise<unknown>;
/**
 * The same provider over the pool seen through a plain `Transport` that does not say it
 * honours abort handles: the stream then makes its own AbortController per call, so
 * "stream,stream-signal" is an interleaved A/B of the abort handle.
 */
const signalProvider = createOpenAI({
  transport: { request: (request) => pool.request(request) },
  baseURL: `${origin}${prefix}/v1`,
  apiKey: API_KEY,
  model: MODEL,
});
ops["stream-signal"] = async () => {
  let n = 0;
  for await (const _event of signalProvider.stream({ messages })) n++;
  return n;
};
const floorPool = new Pool(origin, { connections: 64, keepAliveTimeout: 60_000 });
/** The bench's floor: `Pool.dispatch` with a minimal handler that consumes each chunk in `onData`. */
const dispatchFloor = (path: string, payload: string, onChunk: (chunk: Buffer) => void) =>
  new Promise<void>((resolve, reject) => {
    const handler = {
      onConnect() {},
      onHeaders: () => true,
      onData(chunk: Buffer) {
        onChunk(chunk);
        return true;
      },
      onComplete: () => resolve(),
      onError: reject,
    };
    floorPool.dispatch(
      { origin, path, method: "POST", headers, body: payload },
      handler as unknown as Dispatcher.DispatchHandler,
    );
  });
ops.floor = async () => {
  const chunks: Buffer[] = [];
  await dispatchFloor("/v1/chat/completions", body, (chunk) => chunks.push(chunk));
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
};
ops["floor-stream"] = async () => {
  const reader = new FloorStreamReader();
  const payload = JSON.stringify({
    model: MODEL,
    messages,
    stream: true,
    stream_options: { include_usage: true },
  });
  await dispatchFloor(`${prefix}/v1/chat/completions`, payload, (bytes) => reader.feed(bytes));
  return reader.end();
};
/** The transport + parser row of the bench: our pool's body iterated, decoded, SSE- and JSON-parsed. */
const transportStream = async (signal?: AbortSignal) => {
  const r = await pool.request({
    ...(signal ? { signal } : {}),
    url: `${origin}${prefix}/v1/chat/completions`,
    method: "POST",
    headers,
    body: JSON.stringify({
      model: MODEL,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  const reader = new FloorStreamReader();
  for await (const bytes of r.body) reader.feed(bytes);
  return reader.end();
};
ops["transport-stream"] = () => transportStream();
/** `driveStream` over the pool with a handler that only JSON-parses: the driver's share. */
ops.driver = async () => {
  let n = 0;
  const stream = driveStream(pool, undefined, "sse", () => ({
    send: {
      provider: "openai",
      url: `${origin}${prefix}/v1/chat/completions`,
      headers,
      body: { model: MODEL, messages, stream: true, stream_options: { include_usage: true } },
    },
    open: () => ({
      push(data: string, out: StreamEvent[]) {
        if (data !== "[DONE]") out.push({ type: "text-delta", delta: JSON.parse(data).id });
      },
      end() {},
    }),
  }));
  for await (const _event of stream) n++;
  return n;
};
ops["transport-stream-signal"] = () => transportStream(new AbortController().signal);
/** One long-lived signal shared by every call: what the pool's listener costs without a new signal per call. */
const sharedSignal = new AbortController().signal;
ops["transport-stream-shared-signal"] = () => transportStream(sharedSignal);
const modes = mode.split(",");
for (const m of modes) if (!ops[m]) throw new Error(`unknown mode ${m}`);
const gc = (globalThis as { gc?: () => void }).gc;

/** Runs `op` on `concurrency` loops for `ms`; returns calls made and CPU spent. */
async function slice(op: () => Promise<unknown>, ms: number): Promise<[number, number]> {
  gc?.();
  const end = performance.now() + ms;
  let n = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: Number(concurrencyArg) }, async () => {
      while (performance.now() < end) {
        await op();
        n++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return [n, cpu.user + cpu.system];
}

// One mode: a single long run (for --cpu-prof). Several ("a,b"): alternating slices, order rotated.
const totalMs = Number(secondsArg) * 1_000;
const sliceMs = modes.length === 1 ? totalMs : 250;
const tallies = modes.map(() => [0, 0] as [number, number]);
for (const m of modes) await slice(ops[m] as () => Promise<unknown>, 100);
for (let round = 0; round * sliceMs * modes.length < totalMs; round++) {
  for (let turn = 0; turn < modes.length; turn++) {
    const i = (round + turn) % modes.length;
    const [n, cpu] = await slice(ops[modes[i] as string] as () => Promise<unknown>, sliceMs);
    (tallies[i] as [number, number])[0] += n;
    (tallies[i] as [number, number])[1] += cpu;
  }
}
const perCall = (i: number) => {
  const [n, cpu] = tallies[i] as [number, number];
  return cpu / n;
};
for (const [i, m] of modes.entries()) {
  const [n] = tallies[i] as [number, number];
  // Against the first mode given, so "floor-stream,stream" prints the bench's ratio.
  const ratio = i === 0 ? "" : ` (${(perCall(i) / perCall(0)).toFixed(3)}× ${modes[0]})`;
  console.log(`${m}: ${n} calls, ${perCall(i).toFixed(1)} µs CPU per call${ratio}`);
}
const stats = pool.stats(origin);
console.log(
  `sockets opened ${stats?.connectionsOpened}, requests served ${stats?.requestsServed}, errors ${stats?.errors}`,
);
await Promise.all([pool.close(), floorPool.close()]);
child.send("stop");
