import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface AppRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the app's real entry point, as `pnpm demo` does, with fast offline providers. */
export function runApp(args: string[], env: Record<string, string> = {}): Promise<AppRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@llm/source", "--import", "tsx", join(appDir, "src", "main.ts"), ...args],
      {
        cwd: appDir,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          // tsx applies one tsconfig; this one covers every package and enables @llm/di's decorators.
          TSX_TSCONFIG_PATH: join(appDir, "..", "..", "tsconfig.tsx.json"),
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 100_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export const freshDataDir = () => mkdtempSync(join(tmpdir(), "workflow-demo-"));

/** Small and quick: 40 tickets, 20–60 ms per call. */
export const FAST = ["--limit", "40", "--latency", "20-60", "--chunk-ms", "1", "--json"];
