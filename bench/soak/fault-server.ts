/**
 * The soak bench's upstreams: two @llm/testkit OpenAI mocks that inject faults (a primary
 * and the fallback's secondary), in their OWN process so their CPU is never counted as the
 * client's. Prints `{"primary":"<baseURL>","secondary":"<baseURL>"}` on stdout, then answers
 * IPC messages from the parent: `stats` (both mocks' counters — requests, faults injected)
 * and `close`.
 *
 * Why not e2e/mock-server.ts: it starts one mock with latency options only, and its IPC has
 * no way to turn faults on; this child is the same pattern with the soak's fault settings.
 *
 * Usage: fork("soak/fault-server.ts", [JSON.stringify(FaultServerOptions)]).
 */
import { type FaultOptions, type MsRange, startMockProvider } from "@llm/testkit";

export interface FaultServerOptions {
  /** Seed of the default responder (same on both: the same prompt gets the same answer). */
  seed: number;
  headersMs: MsRange;
  faults: Omit<FaultOptions, "seed">;
  primaryFaultSeed: number;
  secondaryFaultSeed: number;
}

export type FaultServerCommand = { id: number; type: "stats" } | { id: number; type: "close" };

const options = JSON.parse(process.argv[2] ?? "") as FaultServerOptions;
const start = (faultSeed: number) =>
  startMockProvider({
    provider: "openai",
    seed: options.seed,
    // No request history: 50,000 recorded requests would only cost this process memory.
    maxRecorded: 0,
    latency: { headersMs: options.headersMs },
    faults: { ...options.faults, seed: faultSeed },
  });
const primary = await start(options.primaryFaultSeed);
const secondary = await start(options.secondaryFaultSeed);
process.stdout.write(
  `${JSON.stringify({ primary: primary.baseURL, secondary: secondary.baseURL })}\n`,
);

process.on("message", (message: FaultServerCommand) => {
  const reply = (payload: unknown) => process.send?.({ id: message.id, payload });
  if (message.type === "stats") {
    reply({ primary: primary.stats(), secondary: secondary.stats() });
  } else if (message.type === "close") {
    void Promise.all([primary.close(), secondary.close()]).then(() => {
      reply(null);
      process.disconnect?.();
    });
  }
});
