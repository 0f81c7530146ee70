/**
 * bench/pool — every provider package's client CPU per call, beside the same wire request
 * sent raw. For each provider a @llm/testkit mock speaking its wire format runs in a child
 * process (no latency), and two clients take turns in the same process:
 *
 *   - **ours**: the provider package's `provider.create({ transport: ConnectionPool, … })`,
 *     `generate()` and `stream()` (consumed to the end), as the DI container builds it;
 *   - **raw floor**: undici `Pool.dispatch` replaying the exact request ours sent (URL,
 *     headers, body — captured from ours once), with a minimal handler: for `generate` the
 *     body is collected and `JSON.parse`d; for a stream the bytes are only drained, so the
 *     floor parses nothing (no SSE, NDJSON or event-stream decoding) and the ratio shows all
 *     of our per-stream work.
 *
 * c = 1, sequential awaited calls; interleaved slices with the order rotated and a full GC
 * before each, median slice. The answers are the mock's default ones (the same seeded text
 * for every provider), so the rows differ only by the provider's wire format and code.
 */
import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type {
  LLMClient,
  ProviderDefinition,
  Transport,
  TransportRequest,
  TransportResponse,
} from "@llm/core";
import { ConnectionPool } from "@llm/pool";
import { provider as anthropic } from "@llm/provider-anthropic";
import { provider as azureOpenAI } from "@llm/provider-azure-openai";
import { provider as bedrock } from "@llm/provider-bedrock";
import { provider as gemini } from "@llm/provider-gemini";
import { provider as mistral } from "@llm/provider-mistral";
import { provider as ollama } from "@llm/provider-ollama";
import { provider as openai } from "@llm/provider-openai";
import type { ProviderName } from "@llm/testkit";
import { type Dispatcher, Pool } from "undici";
import { fmt } from "../lib/measure.ts";
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { BenchOptions, BenchResult, Cell } from "../lib/result.ts";

const here = dirname(fileURLToPath(import.meta.url));
const gc = (globalThis as { gc?: () => void }).gc;

interface ProviderCase {
  name: ProviderName;
  definition: ProviderDefinition;
  model: string;
  apiKey?: string;
  /** Appended to the mock's baseURL (Azure's api-version rides in the query). */
  baseURLSuffix?: string;
  /** Provider-specific settings (Bedrock's region and keys: every call is SigV4-signed). */
  settings?: Record<string, string>;
}

const CASES: ProviderCase[] = [
  { name: "openai", definition: openai, model: "gpt-4o-mini", apiKey: "sk-bench-key-123456" },
  {
    name: "azure-openai",
    definition: azureOpenAI,
    model: "gpt-4o-mini",
    apiKey: "azure-bench-key-123456",
    baseURLSuffix: "?api-version=2024-10-21",
  },
  {
    name: "anthropic",
    definition: anthropic,
    model: "claude-3-5-haiku-latest",
    apiKey: "sk-ant-bench-key-123456",
  },
  {
    name: "gemini",
    definition: gemini,
    model: "gemini-2.0-flash",
    apiKey: "AIzaBenchKeyForGeminiOnly123456",
  },
  { name: "ollama", definition: ollama, model: "llama3.2" },
  {
    name: "mistral",
    definition: mistral,
    model: "mistral-small-latest",
    apiKey: "mistral-bench-key-123456",
  },
  {
    name: "bedrock",
    definition: bedrock,
    model: "anthropic.claude-3-5-haiku-20241022-v1:0",
    settings: { region: "us-east-1", accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" },
  },
];

const request = {
  messages: [{ role: "user" as const, content: "Say something about foxes." }],
  temperature: 0,
};

interface Servers {
  baseURLs: Record<string, string>;
  close(): Promise<void>;
}

async function startServers(providers: readonly ProviderName[]): Promise<Servers> {
  const child: ChildProcess = fork(join(here, "provider-server.ts"), [providers.join(",")], {
    cwd: join(here, ".."),
    execArgv: ["--conditions=@llm/source", "--import", "tsx"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const baseURLs = await new Promise<Record<string, string>>((resolve, reject) => {
    if (child.stdout === null) return reject(new Error("provider server: no stdout"));
    createInterface({ input: child.stdout }).once("line", (line) => resolve(JSON.parse(line)));
    child.once("exit", (code) => reject(new Error(`provider server exited with ${code}`)));
  });
  return {
    baseURLs,
    async close() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      const timer = setTimeout(() => child.kill(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Passes requests through, keeping the last one of each kind: what the floor replays. */
class CapturingTransport implements Transport {
  last: TransportRequest | undefined;
  constructor(private readonly inner: Transport) {}
  request(req: TransportRequest): Promise<TransportResponse> {
    this.last = req;
    return this.inner.request(req);
  }
}

/** undici `Pool.dispatch` with a minimal handler: the bytes, collected or only drained. */
function dispatchFloor(pool: Pool, captured: TransportRequest, parse: boolean) {
  const url = new URL(captured.url);
  const options: Dispatcher.DispatchOptions = {
    path: `${url.pathname}${url.search}`,
    method: captured.method,
    headers: captured.headers,
    body: captured.body ?? null,
  };
  return () =>
    new Promise<unknown>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let status = 0;
      pool.dispatch(options, {
        onConnect() {},
        onHeaders(statusCode) {
          status = statusCode;
          return true;
        },
        onData(chunk) {
          if (parse) chunks.push(chunk);
          return true;
        },
        onComplete() {
          if (status !== 200) return reject(new Error(`floor: HTTP ${status}`));
          resolve(parse ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined);
        },
        onError: reject,
      });
    });
}

async function drain(client: LLMClient): Promise<void> {
  for await (const _event of client.stream(request)) {
    // consumed to the end, as a caller would
  }
}

/** CPU µs per call over sequential awaited calls for `ms` of wall time. */
export async function slice(op: () => Promise<unknown>, ms: number): Promise<number> {
  gc?.();
  const start = process.cpuUsage();
  const until = performance.now() + ms;
  let n = 0;
  while (performance.now() < until) {
    await op();
    n++;
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Medians of interleaved slices, the order rotated every slice. */
export async function interleaved(
  ops: Record<string, () => Promise<unknown>>,
  slices: number,
  sliceMs: number,
  warmupCalls: number,
): Promise<Record<string, number>> {
  const names = Object.keys(ops);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  // Warm-up: JIT, sockets and the mock's own caches, by count so the first provider measured
  // is not the one that pays for a cold process.
  for (const name of names) for (let i = 0; i < warmupCalls; i++) await ops[name]!();
  for (let s = 0; s < slices; s++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(s + i) % names.length]!;
      samples[name]!.push(await slice(ops[name]!, sliceMs));
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n]!)]));
}

interface ProviderFigures {
  generate: { ours: number; floor: number };
  stream: { ours: number; floor: number };
}

async function measure(
  c: ProviderCase,
  baseURL: string,
  slices: number,
  sliceMs: number,
  warmupCalls: number,
): Promise<ProviderFigures> {
  const pool = new ConnectionPool({ connections: 4 });
  const capture = new CapturingTransport(pool);
  const origin = new URL(baseURL).origin;
  const raw = new Pool(origin, { connections: 4 });
  try {
    const client = c.definition.create({
      model: c.model,
      baseURL: `${baseURL}${c.baseURLSuffix ?? ""}`,
      transport: capture,
      env: {},
      ...(c.apiKey === undefined ? {} : { apiKey: c.apiKey }),
      ...c.settings,
    });
    const answer = await client.generate(request);
    if (answer.text.length === 0) throw new Error(`${c.name}: empty answer`);
    const generateFloor = dispatchFloor(raw, capture.last!, true);
    await drain(client);
    const streamFloor = dispatchFloor(raw, capture.last!, false);
    const generate = await interleaved(
      { ours: () => client.generate(request), floor: generateFloor },
      slices,
      sliceMs,
      warmupCalls,
    );
    const stream = await interleaved(
      { ours: () => drain(client), floor: streamFloor },
      slices,
      sliceMs,
      warmupCalls,
    );
    return {
      generate: { ours: generate.ours!, floor: generate.floor! },
      stream: { ours: stream.ours!, floor: stream.floor! },
    };
  } finally {
    await raw.close();
    await pool.close();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const slices = options.quick ? 2 : 7;
  const sliceMs = options.quick ? 40 : 250;
  const warmupCalls = options.quick ? 20 : 300;
  const figures: Record<string, ProviderFigures> = {};
  const servers = await startServers(CASES.map((c) => c.name));
  try {
    for (const c of CASES) {
      const baseURL = servers.baseURLs[c.name];
      if (baseURL === undefined) throw new Error(`no mock for ${c.name}`);
      figures[c.name] = await measure(c, baseURL, slices, sliceMs, warmupCalls);
    }
  } finally {
    await servers.close();
  }

  const rows: Cell[][] = CASES.map(({ name }) => {
    const f = figures[name]!;
    return [
      `\`@llm/provider-${name}\``,
      fmt(f.generate.floor),
      fmt(f.generate.ours),
      `${fmt(f.generate.ours / f.generate.floor, 2)}×`,
      fmt(f.stream.floor),
      fmt(f.stream.ours),
      `${fmt(f.stream.ours / f.stream.floor, 2)}×`,
    ];
  });
  return {
    id: "pool/providers",
    title: "Every provider: client CPU per call against the raw request",
    command: rerunCommand("pool/providers.bench.ts"),
    measures: [
      "bench/pool/providers.bench.ts",
      "bench/pool/provider-server.ts",
      "packages/core/src",
      "packages/pool/src",
      ...CASES.map((c) => `packages/provider-${c.name}/src`),
      "packages/testkit/src",
    ],
    intro: [
      `Node ${process.version}. Each provider against its own @llm/testkit mock, all in one child process (no latency; their CPU is not counted), c = 1: ${slices} interleaved slices of ${sliceMs} ms per client, order rotated, GC before each, median slice, after ${warmupCalls} warm-up calls per client. **Ours**: the package's \`provider.create({ transport: ConnectionPool, … })\`, \`generate()\` / \`stream()\` consumed to the end. **Raw floor**: undici \`Pool.dispatch\` replaying the exact request ours sent, minimal handler — \`generate\`: body collected + \`JSON.parse\`; stream: bytes drained, nothing parsed (the ratio includes all SSE / NDJSON / event-stream decoding).`,
    ],
    tables: [
      {
        title: "CPU µs per call, c = 1",
        columns: [
          "provider",
          "generate: raw floor",
          "generate: ours",
          "ratio",
          "stream: raw floor (drain)",
          "stream: ours",
          "ratio",
        ],
        rows,
        note: "Ours does, beyond the floor: request building and checks, the provider's response conversion into llm-kit's typed answer (text, tool calls, usage, finish reason, rate-limit headers), response size bounds and, for streams, decoding every event and the stream deadlines. The OpenAI rows of `pool/transport` compare against more peers (fetch, the official SDK) at several concurrencies.",
      },
    ],
    acceptance: CASES.map(({ name }) => ({
      check: `provider CPU per call, ${name}: generate / stream vs the raw request`,
      target: "—",
      measured: `${fmt(figures[name]!.generate.ours / figures[name]!.generate.floor, 2)}× / ${fmt(figures[name]!.stream.ours / figures[name]!.stream.floor, 2)}×`,
      baseline:
        "undici Pool.dispatch replaying the same request (generate: + JSON.parse; stream: drained)",
      met: null,
    })),
    series: { figures },
  };
}

await runIfMain(import.meta.url, run);
