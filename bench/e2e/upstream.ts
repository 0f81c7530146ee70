/** Starts `mock-server.ts` in a child process and talks to it over IPC. */
import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { LatencyOptions, MockProviderStats } from "@llm/testkit";

const here = dirname(fileURLToPath(import.meta.url));

export interface Upstream {
  baseURL: string;
  stats(): Promise<MockProviderStats>;
  setLatency(latency: LatencyOptions | null): Promise<void>;
  close(): Promise<void>;
}

export async function startUpstream(headersMs: string, chunkMs: string): Promise<Upstream> {
  const child: ChildProcess = fork(join(here, "mock-server.ts"), [headersMs, chunkMs], {
    cwd: join(here, ".."),
    execArgv: ["--conditions=@llm/source", "--import", "tsx"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const baseURL = await new Promise<string>((resolve, reject) => {
    const stdout = child.stdout;
    if (stdout === null) return reject(new Error("mock server: no stdout"));
    const lines = createInterface({ input: stdout });
    lines.once("line", (line) => resolve(line.trim()));
    child.once("exit", (code) => reject(new Error(`mock server exited with code ${code}`)));
  });
  let nextId = 0;
  const pending = new Map<number, (payload: unknown) => void>();
  child.on("message", (message: { id: number; payload: unknown }) => {
    pending.get(message.id)?.(message.payload);
    pending.delete(message.id);
  });
  const rpc = (command: Record<string, unknown>) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ id, ...command });
    });
  return {
    baseURL,
    stats: async () => (await rpc({ type: "stats" })) as MockProviderStats,
    setLatency: async (latency) => {
      await rpc({ type: "latency", latency });
    },
    async close() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await rpc({ type: "close" });
      const timer = setTimeout(() => child.kill(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
