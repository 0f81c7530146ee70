import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { json } from "./wire-json.js";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

function run(args: string[]) {
  // The sources import @llm/core: resolve it to its sources too, as the repo's tests and bench do.
  return spawn(process.execPath, ["--conditions=@llm/source", "--import", "tsx", cli, ...args], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function exitCode(child: ReturnType<typeof run>): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("llm-testkit CLI", () => {
  it("prints the baseURL, serves, and stops cleanly on SIGTERM", async () => {
    const child = run(["serve", "--provider", "openai", "--port", "0", "--seed", "3"]);
    const exited = exitCode(child);
    const lines = createInterface({ input: child.stdout });
    const baseURL = await new Promise<string>((resolve) => lines.once("line", resolve));
    expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await fetch(`${baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
    });
    expect((await json(response)).object).toBe("chat.completion");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("exits 2 with the usage on a bad argument", async () => {
    const child = run(["serve", "--provider", "nope"]);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toMatch(/--provider "nope" is unknown/);
    expect(stderr).toMatch(/Usage: llm-testkit serve/);
  });

  it("prints the usage for --help", async () => {
    const child = run(["--help"]);
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    expect(await exitCode(child)).toBe(0);
    expect(stdout).toMatch(/--fault-kinds/);
  });
});
