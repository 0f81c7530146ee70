import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { createLLMContainer, type LLMContainer } from "../src/index.js";

/** Provider and store packages resolve from the di package (they are its dev dependencies). */
export const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const sourceConditions = ["@llm/source"];

export interface Mocks {
  openai: MockProvider;
  anthropic: MockProvider;
  gemini: MockProvider;
  ollama: MockProvider;
  close(): Promise<void>;
}

export async function startMocks(): Promise<Mocks> {
  const [openai, anthropic, gemini, ollama] = await Promise.all(
    (["openai", "anthropic", "gemini", "ollama"] as const).map((provider) =>
      startMockProvider({ provider }),
    ),
  );
  return {
    openai: openai!,
    anthropic: anthropic!,
    gemini: gemini!,
    ollama: ollama!,
    close: async () => {
      await Promise.all([openai, anthropic, gemini, ollama].map((m) => m!.close()));
    },
  };
}

export function tempDir(): {
  dir: string;
  write(name: string, text: string): string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), "llm-di-"));
  return {
    dir,
    write(name, text) {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A YAML config naming one client per provider, all pointed at the mocks. */
export function fourProviderYaml(m: Mocks, extra = ""): string {
  return `
clients:
  fast:
    provider: openai
    model: gpt-4o-mini
    apiKey: \${TEST_OPENAI_KEY:-sk-test-openai-key-123456}
    baseURL: ${m.openai.baseURL}
    params: { temperature: 0 }
    retries: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }
    fallbacks: [careful]
  careful:
    provider: anthropic
    model: claude-3-5-haiku-latest
    apiKey: sk-ant-test-key-123456
    baseURL: ${m.anthropic.baseURL}
    retries: { maxAttempts: 1 }
  wide:
    provider: gemini
    model: gemini-2.0-flash
    apiKey: AIzaTestKeyForGeminiOnly123456
    baseURL: ${m.gemini.baseURL}
  local:
    provider: ollama
    model: llama3.2
    baseURL: ${m.ollama.baseURL}
cache:
  enabled: true
  l2: { type: none }
${extra}`;
}

export interface FixtureRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `test/fixtures/<file>` in a fresh Node process from source (tsx, the `@llm/source`
 * condition), killed after 30 s. An async spawn: the mock servers the fixture talks to live
 * in this process and must keep answering while it runs.
 */
export async function runFixture(file: string, args: readonly string[]): Promise<FixtureRun> {
  const child = spawn(
    process.execPath,
    [
      "--conditions=@llm/source",
      "--import",
      "tsx",
      join(packageDir, "test", "fixtures", file),
      ...args,
    ],
    { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d;
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(killer);
  return { status, stdout, stderr };
}

/**
 * A container from YAML `text` written into `dir`, with the package's own
 * providers and stores resolved from source; pushed onto `open` so the test
 * file's afterEach can dispose it.
 */
export async function containerFromYaml(
  dir: ReturnType<typeof tempDir>,
  text: string,
  open: LLMContainer[],
): Promise<LLMContainer> {
  const file = dir.write(`config-${open.length}-${process.hrtime.bigint()}.yaml`, text);
  const c = await createLLMContainer({
    config: { files: [file], env: {} },
    baseDir: packageDir,
    conditions: sourceConditions,
  });
  open.push(c);
  return c;
}
