/**
 * A profiling aid, not a benchmark: @llm/provider-bedrock's generate() / stream() in a loop
 * against its @llm/testkit mock (in a child process, so the server's CPU is not counted).
 *
 *   cd bench && node --expose-gc --conditions=@llm/source --import tsx \
 *     pool/profile-bedrock.ts <generate|stream> [seconds]
 *   (add --cpu-prof --cpu-prof-dir=/tmp/prof before --conditions to profile)
 *
 * With BEDROCK_AB=<dir of another copy of the package's src> it instead alternates slices of
 * that copy and this one (order rotated, GC before each) and prints the median CPU µs per call
 * of each: an A/B of a change in one process.
 */
import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { LLMClient, ProviderDefinition } from "@llm/core";
import { ConnectionPool } from "@llm/pool";
import { provider as bedrock } from "@llm/provider-bedrock";
import { interleaved, slice } from "./providers.bench.ts";

const [mode = "generate", secondsArg = "5"] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const request = { messages: [{ role: "user" as const, content: "Say something about foxes." }] };

const child: ChildProcess = fork(join(here, "provider-server.ts"), ["bedrock"], {
  cwd: join(here, ".."),
  execArgv: ["--conditions=@llm/source", "--import", "tsx"],
  stdio: ["ignore", "pipe", "inherit", "ipc"],
});
const baseURL = await new Promise<string>((resolve) => {
  createInterface({ input: child.stdout! }).once("line", (line) =>
    resolve((JSON.parse(line) as { bedrock: string }).bedrock),
  );
});
const pool = new ConnectionPool({ connections: 4 });
/** Every call is SigV4-signed, as in providers.bench.ts. */
const bedrockSettings: Record<string, string> = {
  region: "us-east-1",
  accessKeyId: "AKIDBENCH",
  secretAccessKey: "bench-secret",
};
const create = (definition: ProviderDefinition): LLMClient =>
  definition.create({
    model: "anthropic.claude-3-5-haiku-20241022-v1:0",
    baseURL,
    transport: pool,
    env: {},
    ...bedrockSettings,
  });
const call = (client: LLMClient) =>
  mode === "stream"
    ? async () => {
        for await (const _event of client.stream(request)) {
          // consumed to the end
        }
      }
    : () => client.generate(request);

const seconds = Number(secondsArg);
const other = process.env.BEDROCK_AB;
if (other === undefined) {
  const op = call(create(bedrock));
  for (let i = 0; i < 300; i++) await op();
  console.log(`${mode}: ${(await slice(op, seconds * 1000)).toFixed(1)} µs CPU per call`);
} else {
  const { provider: before } = (await import(pathToFileURL(join(other, "index.ts")).href)) as {
    provider: ProviderDefinition;
  };
  const slices = Math.max(4, Math.round((seconds * 1000) / 250));
  const cpu = await interleaved(
    { before: call(create(before)), after: call(create(bedrock)) },
    slices,
    250,
    300,
  );
  console.log(
    `${mode}: before ${cpu.before?.toFixed(1)} µs, after ${cpu.after?.toFixed(1)} µs CPU per call (median of ${slices} slices each)`,
  );
}
await pool.close();
child.disconnect();
