/**
 * bench/pool — client CPU per request, req/s and latency of llm-kit's pooled
 * transport against the raw libraries and the official SDK, side by side in one
 * run. The server (server.mjs, minimal node:http speaking the OpenAI wire format)
 * runs in a child process, so `process.cpuUsage()` here is client CPU only.
 *
 *   cd bench && node --conditions=@llm/source --import tsx pool/pool.bench.ts
 */
import { type ChildProcess, fork } from "node:child_process";
import http from "node:http";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { SSEParser } from "@llm/core";
import { ConnectionPool } from "@llm/pool";
import { createOpenAI } from "@llm/provider-openai";
import OpenAI from "openai";
import { Pool, request as undiciRequest } from "undici";
import { isMain, markdownTable, writeResult } from "../lib/report.js";

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 150);
/** Measuring time per cell, cut into slices that alternate between the clients of a scenario. */
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 200);
const SLICES = Number(process.env.BENCH_SLICES ?? 6);
const MAX_CONNECTIONS = 64;
const MODEL = "gpt-4o-mini";
const API_KEY = "sk-bench-not-a-real-key";
const messages = [{ role: "user" as const, content: "Say something about foxes." }];
const jsonPayload = { model: MODEL, messages };
const streamPayload = {
  model: MODEL,
  messages,
  stream: true,
  stream_options: { include_usage: true },
};
const headers = { "content-type": "application/json", authorization: `Bearer ${API_KEY}` };

type Op = () => Promise<unknown>;

interface Cell {
  scenario: string;
  client: string;
  cpuUs: number;
  rps: number;
  p50: number;
  p99: number;
  n: number;
  /** Client and server CPU over the cell's slices, in % of one core. */
  clientPct: number;
  serverPct: number;
  error?: string;
}

async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL("./server.mjs", import.meta.url)), [], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
    execArgv: [],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.stdout?.once("data", (d: Buffer) =>
      resolve((JSON.parse(d.toString()) as { port: number }).port),
    );
  });
  return { child, port };
}

/** The server process's CPU time so far (user + system, µs), asked over IPC. */
function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("message", (m: { cpu: { user: number; system: number } }) =>
      resolve(m.cpu.user + m.cpu.system),
    );
    child.send("cpu");
  });
}

/** `concurrency` loops calling `op` until `ms` has passed. */
async function load(
  op: Op,
  concurrency: number,
  ms: number,
  latencies?: number[],
): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      await op();
      latencies?.push(performance.now() - t0);
      n++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return n;
}

const pct = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;

interface Tally {
  n: number;
  cpuUs: number;
  serverCpuUs: number;
  wallMs: number;
  latencies: number[];
  error?: string;
}

/**
 * Measures every client of one scenario in alternating slices, so a burst of load
 * from other processes on this shared machine lands on all of them alike.
 */
async function measureScenario(
  server: ChildProcess,
  scenario: string,
  clients: Array<[string, Op]>,
  concurrency: number,
): Promise<Cell[]> {
  const tallies = clients.map(
    (): Tally => ({ n: 0, cpuUs: 0, serverCpuUs: 0, wallMs: 0, latencies: [] }),
  );
  for (const [i, [, op]] of clients.entries()) {
    await load(op, concurrency, WARMUP_MS).catch((error: unknown) => {
      (tallies[i] as Tally).error =
        error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    });
  }
  for (let slice = 0; slice < SLICES; slice++) {
    for (const [i, [, op]] of clients.entries()) {
      const t = tallies[i] as Tally;
      if (t.error) continue;
      try {
        const server0 = await serverCpu(server);
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        t.n += await load(op, concurrency, SLICE_MS, t.latencies);
        t.wallMs += performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        t.cpuUs += cpu.user + cpu.system;
        t.serverCpuUs += (await serverCpu(server)) - server0;
      } catch (error) {
        t.error = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
      }
    }
  }
  return clients.map(([client], i) => {
    const t = tallies[i] as Tally;
    if (t.error || t.n === 0) {
      return {
        scenario,
        client,
        n: 0,
        cpuUs: Number.NaN,
        rps: Number.NaN,
        p50: Number.NaN,
        p99: Number.NaN,
        clientPct: Number.NaN,
        serverPct: Number.NaN,
        error: t.error ?? "no request completed",
      };
    }
    t.latencies.sort((a, b) => a - b);
    return {
      scenario,
      client,
      n: t.n,
      cpuUs: t.cpuUs / t.n,
      rps: t.n / (t.wallMs / 1_000),
      p50: pct(t.latencies, 0.5),
      p99: pct(t.latencies, 0.99),
      clientPct: t.cpuUs / t.wallMs / 10,
      serverPct: t.serverCpuUs / t.wallMs / 10,
    };
  });
}

/** Decodes, SSE-parses and JSON-parses a chat stream the way a provider must. */
async function parseChatStream(body: AsyncIterable<Uint8Array>): Promise<number> {
  const decoder = new TextDecoder();
  const parser = new SSEParser();
  let chunks = 0;
  const take = (events: ReturnType<SSEParser["feed"]>) => {
    for (const event of events) {
      if (event.data === "[DONE]") continue;
      JSON.parse(event.data);
      chunks++;
    }
  };
  for await (const bytes of body) take(parser.feed(decoder.decode(bytes, { stream: true })));
  take(parser.feed(decoder.decode()));
  take(parser.end());
  if (chunks !== 50) throw new Error(`expected 50 chunks, got ${chunks}`);
  return chunks;
}

export async function run(): Promise<string> {
  const { child, port } = await startServer();
  const origin = `http://127.0.0.1:${port}`;
  const baseURL = `${origin}/v1`;
  const url = `${baseURL}/chat/completions`;
  const path = "/v1/chat/completions";
  const poolOptions = { connections: MAX_CONNECTIONS, keepAliveTimeout: 60_000 };

  // One dispatcher per client, so no row borrows another's warm sockets.
  const rawPool = new Pool(origin, poolOptions);
  const requestPool = new Pool(origin, poolOptions);
  const ourPool = new ConnectionPool({ connections: MAX_CONNECTIONS, maxQueue: 10_000 });
  const providerPool = new ConnectionPool({ connections: MAX_CONNECTIONS, maxQueue: 10_000 });
  const sdkPool = new ConnectionPool({ connections: MAX_CONNECTIONS, maxQueue: 10_000 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_CONNECTIONS });
  const provider = createOpenAI({
    transport: providerPool,
    baseURL,
    apiKey: API_KEY,
    model: MODEL,
  });
  const sdk = new OpenAI({ apiKey: API_KEY, baseURL, maxRetries: 0 });
  const sdkOnPool = new OpenAI({ apiKey: API_KEY, baseURL, maxRetries: 0, fetch: sdkPool.fetch });

  const RAW = "raw `pool.request` + JSON.parse";
  const RAW_STREAM = "raw undici `pool.request` + SSE parser";
  const TRANSPORT = "@llm/pool transport";
  const PROVIDER = "@llm/provider-openai on @llm/pool";
  const SDK = "openai SDK 6.30.1 (global fetch)";
  const SSE = "SSE 50 chunks c=16";
  const SSE_BATCHED = "SSE 50 chunks c=16, 10 frames per write";

  const jsonClients: Array<[string, Op]> = [
    [
      RAW,
      async () => {
        const r = await rawPool.request({
          path,
          method: "POST",
          headers,
          body: JSON.stringify(jsonPayload),
        });
        return r.body.json();
      },
    ],
    [
      TRANSPORT,
      async () => {
        const r = await ourPool.request({
          url,
          method: "POST",
          headers,
          body: JSON.stringify(jsonPayload),
        });
        return r.json();
      },
    ],
    [PROVIDER, () => provider.generate({ messages })],
    [
      "`undici.request(url)` + Pool dispatcher",
      async () => {
        const r = await undiciRequest(url, {
          dispatcher: requestPool,
          method: "POST",
          headers,
          body: JSON.stringify(jsonPayload),
        });
        return r.body.json();
      },
    ],
    [
      "global `fetch`",
      async () => {
        const r = await fetch(url, { method: "POST", headers, body: JSON.stringify(jsonPayload) });
        return r.json();
      },
    ],
    [
      "`node:http` keep-alive Agent",
      () =>
        new Promise((resolve, reject) => {
          const req = http.request(url, { method: "POST", headers, agent }, (res) => {
            const parts: Buffer[] = [];
            res.on("data", (c: Buffer) => parts.push(c));
            res.on("end", () => resolve(JSON.parse(Buffer.concat(parts).toString())));
            res.on("error", reject);
          });
          req.on("error", reject);
          req.end(JSON.stringify(jsonPayload));
        }),
    ],
    [SDK, () => sdk.chat.completions.create({ model: MODEL, messages })],
    [
      "openai SDK 6.30.1 on `pool.fetch`",
      () => sdkOnPool.chat.completions.create({ model: MODEL, messages }),
    ],
  ];

  /**
   * The stream clients, against `prefix` + the OpenAI path: "" gets one SSE frame per write,
   * "/batched" the same 50 frames as 5 writes of 10 (server.mjs). Same clients, same pools.
   */
  const streamClients = (prefix: string): Array<[string, Op]> => {
    const streamBase = `${origin}${prefix}/v1`;
    const streamProvider = createOpenAI({
      transport: providerPool,
      baseURL: streamBase,
      apiKey: API_KEY,
      model: MODEL,
    });
    const streamSdk = new OpenAI({ apiKey: API_KEY, baseURL: streamBase, maxRetries: 0 });
    const streamSdkOnPool = new OpenAI({
      apiKey: API_KEY,
      baseURL: streamBase,
      maxRetries: 0,
      fetch: sdkPool.fetch,
    });
    const sdkStream = async (client: OpenAI) => {
      const stream = await client.chat.completions.create({
        model: MODEL,
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      let n = 0;
      for await (const _chunk of stream) n++;
      return n;
    };
    return [
      [
        RAW_STREAM,
        async () => {
          const r = await rawPool.request({
            path: `${prefix}${path}`,
            method: "POST",
            headers,
            body: JSON.stringify(streamPayload),
          });
          return parseChatStream(r.body);
        },
      ],
      [
        `${TRANSPORT} + SSE parser`,
        async () => {
          const r = await ourPool.request({
            url: `${streamBase}/chat/completions`,
            method: "POST",
            headers,
            body: JSON.stringify(streamPayload),
          });
          return parseChatStream(r.body);
        },
      ],
      [
        `${PROVIDER} \`stream()\``,
        async () => {
          let n = 0;
          for await (const _event of streamProvider.stream({ messages })) n++;
          return n;
        },
      ],
      [SDK, () => sdkStream(streamSdk)],
      ["openai SDK 6.30.1 on `pool.fetch`", () => sdkStream(streamSdkOnPool)],
    ];
  };
  const perFrameStreams = streamClients("");
  const batchedStreams = streamClients("/batched");

  const cells: Cell[] = [];
  const started = performance.now();
  try {
    // Compile every path once before anything is measured, so the first row is not charged for the JIT.
    for (const [, op] of [...jsonClients, ...perFrameStreams, ...batchedStreams])
      await load(op, 16, WARMUP_MS).catch(() => 0);
    for (const concurrency of [1, 16, 64]) {
      cells.push(
        ...(await measureScenario(child, `JSON c=${concurrency}`, jsonClients, concurrency)),
      );
    }
    cells.push(...(await measureScenario(child, SSE, perFrameStreams, 16)));
    cells.push(...(await measureScenario(child, SSE_BATCHED, batchedStreams, 16)));
  } finally {
    await Promise.allSettled([
      rawPool.close(),
      requestPool.close(),
      ourPool.close(),
      providerPool.close(),
      sdkPool.close(),
    ]);
    agent.destroy();
    child.send("stop");
  }
  const seconds = (performance.now() - started) / 1_000;

  const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "—");
  const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "—");
  const baseline = (scenario: string) =>
    cells.find((c) => c.scenario === scenario && (c.client === RAW || c.client === RAW_STREAM));
  const rows = cells.map((c) => {
    const base = baseline(c.scenario);
    return [
      c.scenario,
      c.error ? `${c.client} (failed: ${c.error})` : c.client,
      f1(c.cpuUs),
      base ? `${f2(c.cpuUs / base.cpuUs)}×` : "—",
      Number.isFinite(c.rps) ? Math.round(c.rps) : "—",
      base ? `${f2(c.rps / base.rps)}×` : "—",
      f2(c.p50),
      f2(c.p99),
      c.n,
      Number.isFinite(c.clientPct) ? Math.round(c.clientPct) : "—",
      Number.isFinite(c.serverPct) ? Math.round(c.serverPct) : "—",
    ];
  });
  const table = markdownTable(
    [
      "scenario",
      "client",
      "CPU µs/req",
      "CPU × raw",
      "req/s",
      "req/s × raw",
      "p50 ms",
      "p99 ms",
      "requests",
      "client CPU %",
      "server CPU %",
    ],
    rows,
  );

  const cell = (scenario: string, client: string) =>
    cells.find((c) => c.scenario === scenario && c.client.startsWith(client));
  const checks: string[] = [];
  const check = (label: string, value: number, target: string, ok: boolean) =>
    checks.push(
      `| ${label} | ${Number.isFinite(value) ? value.toFixed(2) : "—"} | ${target} | ${Number.isFinite(value) ? (ok ? "met" : "**missed**") : "not measured"} |`,
    );
  for (const c of [1, 16, 64]) {
    const s = `JSON c=${c}`;
    const raw = cell(s, RAW);
    const t = cell(s, TRANSPORT);
    const p = cell(s, PROVIDER);
    const k = cell(s, SDK);
    if (!raw || !t || !p || !k) continue;
    const tr = t.cpuUs / raw.cpuUs;
    check(`transport CPU ÷ raw pool.request, ${s}`, tr, "≤ 1.10", tr <= 1.1);
    const pr = p.cpuUs / raw.cpuUs;
    check(`provider generate CPU ÷ raw pool.request, ${s}`, pr, "≤ 1.30", pr <= 1.3);
    if (c >= 16) {
      const less = k.cpuUs / p.cpuUs;
      check(`SDK CPU ÷ provider CPU, ${s}`, less, "≥ 8", less >= 8);
      const faster = p.rps / k.rps;
      check(`provider req/s ÷ SDK req/s, ${s}`, faster, "≥ 5", faster >= 5);
    }
  }
  const ss = SSE;
  const rawS = cell(ss, RAW_STREAM);
  const tS = cell(ss, TRANSPORT);
  const pS = cell(ss, PROVIDER);
  const kS = cell(ss, SDK);
  if (rawS && tS && pS && kS) {
    check(
      "transport + parser CPU ÷ raw undici + parser, streams",
      tS.cpuUs / rawS.cpuUs,
      "≤ 1.10",
      tS.cpuUs / rawS.cpuUs <= 1.1,
    );
    check(
      "provider stream CPU ÷ raw undici + parser",
      pS.cpuUs / rawS.cpuUs,
      "≤ 1.15",
      pS.cpuUs / rawS.cpuUs <= 1.15,
    );
    check("provider streams/s ÷ SDK streams/s", pS.rps / kS.rps, "≥ 4", pS.rps / kS.rps >= 4);
  }
  const streamNotes: string[] = [];
  const rawB = cell(SSE_BATCHED, RAW_STREAM);
  const pB = cell(SSE_BATCHED, PROVIDER);
  const kB = cell(SSE_BATCHED, SDK);
  if (rawS && pS && kS && rawB && pB && kB) {
    const r0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "—");
    streamNotes.push(
      "",
      "### Why provider streams/s ÷ SDK streams/s is under 4×",
      "",
      `At \`${SSE}\` both clients are CPU-bound, not waiting on the server: our provider runs at ${r0(pS.clientPct)} % of a core`,
      `(server ${r0(pS.serverPct)} %), the SDK at ${r0(kS.clientPct)} % (server ${r0(kS.serverPct)} %; above 100 % because V8's helper threads,`,
      "mostly parallel GC, work on its garbage), so streams/s ≈ CPU share ÷ CPU per stream.",
      `The SDK spends ${f2(kS.cpuUs / pS.cpuUs)}× our CPU per stream (${f2(pS.rps / kS.rps)}× in streams/s after its extra GC share): with one SSE frame`,
      "per write, as an LLM's tokens arrive, every client pays a socket read, an HTTP-parser callback and a body chunk every",
      `frame or two, a fixed cost that dominates ours (raw undici + parser: ${r0(rawS.cpuUs)} µs per stream here, ${r0(rawB.cpuUs)} µs with 10 frames per write).`,
      `In those batched rows (not a target) provider streams/s ÷ SDK is ${f2(pB.rps / kB.rps)}× and SDK CPU ÷ provider CPU ${f2(kB.cpuUs / pB.cpuUs)}×, but`,
      `provider CPU ÷ raw rises to ${f2(pB.cpuUs / rawB.cpuUs)}×, as its per-event work (a \`StreamEvent\` and a generator step per frame) no longer hides`,
      "behind reads. A faster server cannot lift the per-frame rows: the client is the side at a full core, and a second",
      "server process (cluster, tried by hand) only took CPU from the client on this 2-core machine.",
    );
  }

  const markdown = [
    "## @llm/pool — transport, provider and peers (client CPU per request)",
    "",
    `Node ${process.version}, ${os.cpus().length} CPUs shared with other processes (load average ${os.loadavg()[0]?.toFixed(1)} at the end).`,
    `Each cell: ${WARMUP_MS} ms warm-up, then ${SLICES} × ${SLICE_MS} ms slices alternating between the clients of the scenario; run took ${seconds.toFixed(0)} s.`,
    "Server: a minimal `node:http` server speaking the OpenAI wire format (`bench/pool/server.mjs`) in a",
    "separate process, so its CPU is not counted; @llm/testkit's server parses and records every request,",
    `which would make the server the bottleneck. Every client has its own sockets (up to ${MAX_CONNECTIONS} per origin).`,
    "CPU = `process.cpuUsage()` delta (user + system, GC included) ÷ requests. Ratios are against the raw",
    "undici `Pool.request` row of the same scenario (JSON: `body.json()`; SSE: TextDecoder + @llm/core `SSEParser` + JSON.parse per chunk).",
    "Client / server CPU % = each process's CPU time over the cell's wall time, in % of one core (the server's",
    "sampled over IPC around every slice): a client near 100 % is CPU-bound; a server near 100 % would be the bottleneck.",
    "SSE rows: 50 `data:` frames per stream, one per server write and event-loop turn; the `10 frames per write`",
    "rows send the same frames and bytes as 5 corked writes of 10, to show how much per-read cost shapes the ratios.",
    "",
    table,
    "",
    "### Targets (issue 3)",
    "",
    "| check | measured | target | result |",
    "| --- | --- | --- | --- |",
    ...checks,
    ...streamNotes,
  ].join("\n");
  return writeResult("pool", markdown);
}

if (isMain(import.meta.url)) {
  run().then(
    (markdown) => {
      console.log(markdown);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
