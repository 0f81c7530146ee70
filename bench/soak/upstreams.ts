/** Starts `fault-server.ts` in a child process and talks to it over IPC. */
import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { MockProviderStats } from "@llm/testkit";
import type { FaultServerCommand, FaultServerOptions } from "./fault-server.ts";

const here = dirname(fileURLToPath(import.meta.url));

export interface FaultyUpstreams {
  primary: string;
  secondary: string;
  stats(): Promise<{ primary: MockProviderStats; secondary: MockProviderStats }>;
  close(): Promise<void>;
}

export async function startFaultyUpstreams(options: FaultServerOptions): Promise<FaultyUpstreams> {
  const child: ChildProcess = fork(join(here, "fault-server.ts"), [JSON.stringify(options)], {
    cwd: join(here, ".."),
    execArgv: ["--conditions=@llm/source", "--import", "tsx"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const urls = await new Promise<{ primary: string; secondary: string }>((resolve, reject) => {
    const stdout = child.stdout;
    if (stdout === null) return reject(new Error("soak fault server: no stdout"));
    const lines = createInterface({ input: stdout });
    lines.once("line", (line) => resolve(JSON.parse(line)));
    child.once("exit", (code) => reject(new Error(`soak fault server exited with code ${code}`)));
  });
  let nextId = 0;
  const pending = new Map<number, (payload: unknown) => void>();
  child.on("message", (message: { id: number; payload: unknown }) => {
    pending.get(message.id)?.(message.payload);
    pending.delete(message.id);
  });
  const rpc = (type: FaultServerCommand["type"]) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ id, type } satisfies FaultServerCommand);
    });
  return {
    ...urls,
    stats: async () =>
      (await rpc("stats")) as { primary: MockProviderStats; secondary: MockProviderStats },
    async close() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await rpc("close");
      const timer = setTimeout(() => child.kill(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
