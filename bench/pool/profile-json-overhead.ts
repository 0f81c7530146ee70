/**
 * A profiling aid, not a benchmark: llm-kit's own CPU per non-streamed call with the network
 * taken out, against the pool bench's floor handler through the same stand-in. On a shared
 * 2-core machine the pool bench's per-slice ratios swing by ±20 % (other processes' load),
 * far more than the few µs our JSON path adds; this isolates those µs.
 *
 * A scripted dispatcher stands in for undici's Pool: `onConnect` at dispatch, then — one
 * macrotask later, as a small answer arrives in one socket read — `onHeaders` (fresh raw
 * header buffers: the server.mjs header set), `onData` (a fresh copy of server.mjs's
 * completion) and `onComplete`. Rows, each timed in rounds (order rotated, GC before each
 * turn), reported as CPU µs per call above the floor (median and IQR over rounds):
 *   floor      the pool bench's minimal handler: chunks collected, Buffer.concat + JSON.parse
 *   transport  @llm/pool's PoolResponse: request + json()
 *   +headers   the same, reading one parsed header first (what every provider call does)
 *   sendJSON   @llm/core sendJSON on that transport (request built, body read within its bound)
 *   generate   @llm/provider-openai generate() on that transport
 *
 *   cd bench && node --expose-gc --conditions=@llm/source --import tsx \
 *     pool/profile-json-overhead.ts [rounds] [calls per turn] [concurrency,…]
 */
import { sendJSON, type Transport, type TransportRequest } from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";
import { PoolResponse, type ResponseOwner } from "../../packages/pool/src/pool-response.ts";
import { completion } from "./openai-answers.mjs";

const [roundsArg = "20", callsArg = "4000", concurrencyArg = "1,64"] = process.argv.slice(2);
const ROUNDS = Number(roundsArg);
const CALLS = Number(callsArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");
const MODEL = "gpt-4o-mini";
const ORIGIN = "http://127.0.0.1:1";
const PATH = "/v1/chat/completions";
const URL_ = `${ORIGIN}${PATH}`;
const messages = [{ role: "user" as const, content: "Say something about foxes." }];
const jsonPayload = { model: MODEL, messages };
const headers = { "content-type": "application/json", authorization: "Bearer sk-bench" };

// The headers node:http sends with server.mjs's non-streamed answer.
const rawHeaderStrings = [
  ["Content-Type", "application/json"],
  ["Content-Length", String(completion.length)],
  ["X-Request-Id", "req_bench"],
  ["Date", new Date().toUTCString()],
  ["Connection", "keep-alive"],
  ["Keep-Alive", "timeout=5"],
].flat();

/** The legacy handler API undici's Pool drives (and PoolResponse implements). */
interface LegacyHandler {
  onConnect(abort: (reason?: Error) => void): void;
  onHeaders(status: number, raw: Buffer[], resume: () => void, statusText: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: Buffer[]): void;
  onError(error: Error): void;
}
const noop = () => {};
const scripted = {
  dispatch(_options: unknown, handler: LegacyHandler): boolean {
    handler.onConnect(noop);
    setImmediate(() => {
      handler.onHeaders(
        200,
        rawHeaderStrings.map((s) => Buffer.from(s, "latin1")),
        noop,
        "OK",
      );
      handler.onData(Buffer.from(completion));
      handler.onComplete([]);
    });
    return true;
  },
};
const owner: ResponseOwner = {
  origin: ORIGIN,
  dispatcher: scripted as unknown as ResponseOwner["dispatcher"],
  maxBodyBytes: 32 * 1024 * 1024,
  release: noop,
  requestsServed: 0,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  mapError: (error) => {
    throw error;
  },
};
const transport: Transport = {
  request: (request: TransportRequest) => new PoolResponse(owner, request).send(PATH),
};
const provider = createOpenAI({
  transport,
  baseURL: `${ORIGIN}/v1`,
  apiKey: "sk-bench",
  model: MODEL,
});

function floor(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    scripted.dispatch(
      { path: PATH, method: "POST", headers, body: JSON.stringify(jsonPayload) },
      {
        onConnect() {},
        onHeaders(code) {
          status = code;
          return true;
        },
        onData(chunk) {
          chunks.push(chunk);
          return true;
        },
        onComplete() {
          if (status !== 200) reject(new Error(`HTTP ${status}`));
          else resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        },
        onError: reject,
      },
    );
  });
}

type Op = () => Promise<unknown>;
const clients: Array<[string, Op]> = [
  ["floor", floor],
  [
    "transport",
    async () => {
      const r = await transport.request({
        url: URL_,
        method: "POST",
        headers,
        body: JSON.stringify(jsonPayload),
      });
      return r.json();
    },
  ],
  [
    "+headers",
    async () => {
      const r = await transport.request({
        url: URL_,
        method: "POST",
        headers,
        body: JSON.stringify(jsonPayload),
      });
      if (r.headers["x-request-id"] === undefined) throw new Error("no x-request-id");
      return r.json();
    },
  ],
  [
    "sendJSON",
    () => sendJSON(transport, { provider: "openai", url: URL_, headers, body: jsonPayload }),
  ],
  ["generate", () => provider.generate({ messages })],
];

async function run(op: Op, concurrency: number, calls: number): Promise<void> {
  let left = calls;
  const worker = async () => {
    while (left-- > 0) await op();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const x = q * (s.length - 1);
  const lo = Math.floor(x);
  const hi = Math.ceil(x);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (x - lo);
};
const spread = (xs: number[]) =>
  `${quantile(xs, 0.5).toFixed(1)} (IQR ${quantile(xs, 0.25).toFixed(1)}–${quantile(xs, 0.75).toFixed(1)})`;

for (const [, op] of clients) await run(op, 16, 20_000);
for (const concurrency of concurrencyArg.split(",").map(Number)) {
  const perCall: number[][] = clients.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let turn = 0; turn < clients.length; turn++) {
      const i = (round + turn) % clients.length;
      gc();
      const cpu0 = process.cpuUsage();
      await run((clients[i] as [string, Op])[1], concurrency, CALLS);
      const cpu = process.cpuUsage(cpu0);
      (perCall[i] as number[])[round] = (cpu.user + cpu.system) / CALLS;
    }
  }
  const floorCpu = perCall[0] as number[];
  console.log(`c=${concurrency}: ${ROUNDS} rounds × ${CALLS} calls per client, CPU µs per call`);
  for (const [i, [name]] of clients.entries()) {
    const own = perCall[i] as number[];
    const above = own.map((x, round) => x - (floorCpu[round] as number));
    console.log(`  ${name.padEnd(10)} ${spread(own).padEnd(26)} above floor ${spread(above)}`);
  }
}
