import {
  type FaultKind,
  type MockProviderOptions,
  type MsRange,
  PROVIDER_NAMES,
  type ProviderName,
} from "./types.js";

const PROVIDERS: readonly ProviderName[] = PROVIDER_NAMES;
const FAULT_KINDS: readonly FaultKind[] = [
  "rate-limit",
  "server-error",
  "overloaded",
  "reset",
  "hang-headers",
  "malformed-json",
  "error-mid-stream",
  "auth",
];
// Faults a client can recover from by itself; `hang-headers` and `auth` only on request.
const DEFAULT_FAULT_KINDS: FaultKind[] = [
  "rate-limit",
  "server-error",
  "overloaded",
  "reset",
  "malformed-json",
  "error-mid-stream",
];

export const USAGE = `Usage: llm-testkit serve --provider <openai|anthropic|gemini|ollama> [options]

Options:
  --port <n>            port to listen on (default 0: a free port)
  --host <addr>         address to bind (default 127.0.0.1)
  --latency <ms|a-b>    delay before headers, fixed or a seeded random range
  --chunk-ms <ms|a-b>   delay between streamed chunks
  --chunk-size <n>      characters per streamed text delta (default: word by word)
  --faults <rate>       probability in [0, 1] of a random fault per request
  --fault-kinds <list>  comma-separated: ${FAULT_KINDS.join(", ")}
  --seed <n>            seed for latency, faults and the default responder
  --api-key <key>       accept only this API key
  --help                show this help`;

export type ServeCommand = { command: "serve"; options: MockProviderOptions } | { command: "help" };

/** A command line that cannot be run; the message says which argument and why. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** Parses `llm-testkit` arguments (without `node` and the script path). */
export function parseServeArgs(argv: readonly string[]): ServeCommand {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h") || argv[0] === "help") {
    return { command: "help" };
  }
  if (argv[0] !== "serve")
    throw new CliUsageError(`Unknown command "${argv[0]}": expected "serve"`);
  const values = new Map<string, string>();
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) throw new CliUsageError(`Unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    if (eq !== -1) {
      values.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--"))
      throw new CliUsageError(`${arg} needs a value`);
    values.set(arg.slice(2), value);
    i++;
  }
  const known = new Set([
    "provider",
    "port",
    "host",
    "latency",
    "chunk-ms",
    "chunk-size",
    "faults",
    "fault-kinds",
    "seed",
    "api-key",
  ]);
  for (const key of values.keys()) {
    if (!known.has(key)) throw new CliUsageError(`Unknown option --${key}`);
  }
  const provider = values.get("provider");
  if (provider === undefined)
    throw new CliUsageError(`--provider is required (${PROVIDERS.join(", ")})`);
  if (!PROVIDERS.includes(provider as ProviderName)) {
    throw new CliUsageError(
      `--provider "${provider}" is unknown: expected one of ${PROVIDERS.join(", ")}`,
    );
  }
  const options: MockProviderOptions = { provider: provider as ProviderName };
  const port = values.get("port");
  if (port !== undefined) options.port = integer("port", port, 0, 65535);
  const host = values.get("host");
  if (host !== undefined) options.host = host;
  const latency = values.get("latency");
  const chunkMs = values.get("chunk-ms");
  if (latency !== undefined || chunkMs !== undefined) {
    options.latency = {
      ...(latency !== undefined ? { headersMs: msRange("latency", latency) } : {}),
      ...(chunkMs !== undefined ? { chunkMs: msRange("chunk-ms", chunkMs) } : {}),
    };
  }
  const chunkSize = values.get("chunk-size");
  if (chunkSize !== undefined) options.chunkSize = integer("chunk-size", chunkSize, 1, 1_000_000);
  const seed = values.get("seed");
  if (seed !== undefined) options.seed = integer("seed", seed, 0, 2 ** 32 - 1);
  const apiKey = values.get("api-key");
  if (apiKey !== undefined) options.apiKey = apiKey;
  const rate = values.get("faults");
  const kinds = values.get("fault-kinds");
  if (rate !== undefined) {
    const parsed = Number(rate);
    if (rate.trim() === "" || !Number.isFinite(parsed) || parsed < 0 || parsed > 1) {
      throw new CliUsageError(`--faults "${rate}" must be a probability between 0 and 1`);
    }
    options.faults = {
      rate: parsed,
      kinds: kinds !== undefined ? faultKinds(kinds) : DEFAULT_FAULT_KINDS,
    };
  } else if (kinds !== undefined) {
    throw new CliUsageError("--fault-kinds needs --faults <rate>");
  }
  return { command: "serve", options };
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new CliUsageError(`--${name} "${text}" must be an integer between ${min} and ${max}`);
  }
  return value;
}

/** `300` or `300-800` (milliseconds). */
function msRange(name: string, text: string): MsRange {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match)
    throw new CliUsageError(`--${name} "${text}" must be milliseconds, "300" or "300-800"`);
  const min = Number(match[1]);
  if (match[2] === undefined) return min;
  const max = Number(match[2]);
  if (max < min) throw new CliUsageError(`--${name} "${text}": the maximum is below the minimum`);
  return [min, max];
}

function faultKinds(text: string): FaultKind[] {
  const kinds = text
    .split(",")
    .map((kind) => kind.trim())
    .filter((kind) => kind !== "");
  for (const kind of kinds) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) {
      throw new CliUsageError(
        `--fault-kinds: unknown kind "${kind}"; expected ${FAULT_KINDS.join(", ")}`,
      );
    }
  }
  if (kinds.length === 0) throw new CliUsageError("--fault-kinds is empty");
  return kinds as FaultKind[];
}
