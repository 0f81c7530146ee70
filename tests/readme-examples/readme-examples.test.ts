import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readmeExample } from "./extract-example.js";
import { type ProviderEnv, startProviderEnv } from "./provider-env.js";

/**
 * Every package promises a runnable example in its README. This runs each one
 * as a user would paste it — a file of its own, `node` with tsx, the files
 * the README shows beside it — inside this package, so `@llm/*` and the peers
 * an example imports resolve as they would for a user who installed them.
 * Provider keys and endpoints come from the environment (testkit servers),
 * as real ones would; no network beyond localhost is used.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
/** Each example's folder: the program, the files it reads, what it printed. */
const workDir = join(here, ".work");
const PER_EXAMPLE_MS = 90_000;

// Packages only: an app's README starts with the command that runs it (`pnpm demo`), which its own e2e test runs.
const readmes = readdirSync(join(root, "packages"))
  .map((name) => `packages/${name}`)
  .filter((dir) => existsSync(join(root, dir, "README.md")));

let providers: ProviderEnv;
beforeAll(async () => {
  providers = await startProviderEnv();
  rmSync(workDir, { recursive: true, force: true });
});
afterAll(async () => {
  await providers?.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runExample(dir: string, program: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@llm/source", "--import", "tsx", program],
      {
        cwd: dir,
        env: {
          ...process.env,
          ...providers.env,
          TSX_TSCONFIG_PATH: join(root, "tsconfig.tsx.json"),
          NODE_NO_WARNINGS: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), PER_EXAMPLE_MS - 5_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("README examples run as written", () => {
  it("every package README has one", () => {
    const missing = readmes.filter(
      (dir) => readmeExample(readFileSync(join(root, dir, "README.md"), "utf8")) === undefined,
    );
    expect(missing).toEqual([]);
  });

  it.each(readmes)(
    "%s",
    async (dir) => {
      const example = readmeExample(readFileSync(join(root, dir, "README.md"), "utf8"));
      if (example === undefined) return; // reported by the test above
      const cwd = join(workDir, dir.replace("/", "-"));
      mkdirSync(cwd, { recursive: true });
      for (const file of example.files) {
        mkdirSync(dirname(join(cwd, file.name)), { recursive: true });
        writeFileSync(join(cwd, file.name), file.content);
      }
      writeFileSync(join(cwd, "example.ts"), example.program);

      const run = await runExample(cwd, "example.ts");
      // Left in .work/ (gitignored, cleared by the next run) to read what an example printed.
      writeFileSync(join(cwd, "stdout.txt"), run.stdout);
      writeFileSync(join(cwd, "stderr.txt"), run.stderr);

      expect(run.stderr, `${dir} (## ${example.section}) wrote to stderr`).toBe("");
      expect(run.code, `${dir} (## ${example.section}) exited with ${run.code}`).toBe(0);
      expect(run.stdout.trim(), `${dir} printed nothing`).not.toBe("");
    },
    PER_EXAMPLE_MS,
  );
});
