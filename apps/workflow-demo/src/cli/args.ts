import { parseArgs } from "node:util";
import { isProviderName } from "../offline/offline-providers.js";

export interface DemoArgs {
  config: string;
  cache: boolean;
  redis?: string;
  redisNamespace: string;
  json: boolean;
  watch: boolean;
  limit: number;
  concurrency: number;
  latencyMs: [number, number];
  chunkMs: number;
  down: Array<"openai" | "anthropic" | "gemini" | "ollama">;
  dataDir?: string;
  help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: workflow-demo [options]

  --config <file>        config file (default: llm.config.yaml beside the app)
  --no-cache             run without the response cache (the cold path)
  --redis <url>          share the cache between processes through Redis (L2)
  --redis-namespace <ns> key prefix in Redis (default: workflow-demo)
  --json                 print the summary as JSON instead of a table
  --watch                keep running and hot-reload the config file
  --limit <n>            process only the first n tickets (default: all 200)
  --concurrency <n>      tickets in flight at once (default: 16)
  --latency <min-max>    offline providers' latency in ms (default: 300-800)
  --chunk-ms <n>         offline providers' delay between stream chunks (default: 15)
  --provider-down <name> make an offline provider answer 503 (repeatable), to see a fallback
  --data-dir <dir>       where the SQLite cache and the audit log live (default: ./data)
  -h, --help             this help
`;

export function parseDemoArgs(argv: string[], defaultConfig: string): DemoArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowNegative: true,
    options: {
      config: { type: "string" },
      cache: { type: "boolean", default: true },
      redis: { type: "string" },
      "redis-namespace": { type: "string" },
      json: { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
      limit: { type: "string" },
      concurrency: { type: "string" },
      latency: { type: "string" },
      "chunk-ms": { type: "string" },
      "provider-down": { type: "string", multiple: true },
      "data-dir": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const down = values["provider-down"] ?? [];
  for (const name of down) {
    if (!isProviderName(name)) throw new UsageError(`--provider-down: unknown provider "${name}"`);
  }
  return {
    config: values.config ?? defaultConfig,
    cache: values.cache ?? true,
    ...(values.redis === undefined ? {} : { redis: values.redis }),
    redisNamespace: values["redis-namespace"] ?? "workflow-demo",
    json: values.json ?? false,
    watch: values.watch ?? false,
    limit: positiveInt("--limit", values.limit, 200),
    concurrency: positiveInt("--concurrency", values.concurrency, 16),
    latencyMs: range("--latency", values.latency, [300, 800]),
    chunkMs: positiveInt("--chunk-ms", values["chunk-ms"], 15, true),
    down: down as DemoArgs["down"],
    ...(values["data-dir"] === undefined ? {} : { dataDir: values["data-dir"] }),
    help: values.help ?? false,
  };
}

function positiveInt(
  flag: string,
  raw: string | undefined,
  fallback: number,
  zeroOk = false,
): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1))
    throw new UsageError(`${flag}: expected a whole number, got "${raw}"`);
  return n;
}

function range(
  flag: string,
  raw: string | undefined,
  fallback: [number, number],
): [number, number] {
  if (raw === undefined) return fallback;
  const match = /^(\d+)(?:-(\d+))?$/.exec(raw);
  if (!match) throw new UsageError(`${flag}: expected <min>-<max> in ms, got "${raw}"`);
  const min = Number(match[1]);
  const max = Number(match[2] ?? match[1]);
  if (max < min) throw new UsageError(`${flag}: max is below min in "${raw}"`);
  return [min, max];
}
