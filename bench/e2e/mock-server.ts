/**
 * The e2e bench's upstream: an @llm/testkit OpenAI mock in its OWN process, so the
 * server's CPU is never counted as the client's. Like `llm-testkit serve`, it prints its
 * baseURL on stdout; in addition it answers IPC messages from the parent (forked with an
 * IPC channel): `stats` (the mock's request / connection counters — the upstream truth),
 * `latency` (switch latency, used to warm the cache at zero latency) and `close`.
 *
 * Usage: fork("e2e/mock-server.ts", ["300-800", "10"]) — header latency and chunk gap in ms.
 */
import { type LatencyOptions, type MsRange, startMockProvider } from "@llm/testkit";

export type ServerCommand =
  | { id: number; type: "stats" }
  | { id: number; type: "latency"; latency: LatencyOptions | null }
  | { id: number; type: "close" };

function range(text: string | undefined): MsRange | undefined {
  if (text === undefined) return undefined;
  const [min, max] = text.split("-").map(Number);
  if (min === undefined || !Number.isFinite(min)) throw new Error(`bad latency "${text}"`);
  return max === undefined ? min : [min, max];
}

const headersMs = range(process.argv[2]);
const chunkMs = range(process.argv[3]);
const mock = await startMockProvider({
  provider: "openai",
  seed: 7,
  maxRecorded: 0,
  latency: {
    ...(headersMs === undefined ? {} : { headersMs }),
    ...(chunkMs === undefined ? {} : { chunkMs }),
  },
});
process.stdout.write(`${mock.baseURL}\n`);

process.on("message", (message: ServerCommand) => {
  const reply = (payload: unknown) => process.send?.({ id: message.id, payload });
  if (message.type === "stats") reply(mock.stats());
  else if (message.type === "latency") {
    mock.setLatency(message.latency ?? undefined);
    reply(null);
  } else if (message.type === "close") {
    void mock.close().then(() => {
      reply(null);
      process.disconnect?.();
    });
  }
});
