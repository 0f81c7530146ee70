import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, "..", "README.md"), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
const dataDir = mkdtempSync(join(tmpdir(), "llm-langchain-readme-"));
const written: string[] = [];

afterAll(() => {
  for (const file of written) rmSync(file, { force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Runs a README example as it is written, as a module beside the tests (so its
 * imports resolve as a user's would). Only two things change: `@llm/langchain`
 * is this package's source, and the SQLite file goes to a temp folder.
 */
async function run(code: string, index: number): Promise<string[]> {
  const file = join(here, `readme-example-${index}.generated.ts`);
  written.push(file);
  writeFileSync(
    file,
    code.replaceAll('"@llm/langchain"', '"../src/index.js"').replaceAll("./.data/", `${dataDir}/`),
  );
  const lines: string[] = [];
  const log = vi
    .spyOn(console, "log")
    .mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
  const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  return lines;
}

describe("README examples", () => {
  it("has the three examples this test expects", () => {
    expect(examples).toHaveLength(3);
  });

  it("runs the chat model example: invoke, stream, tools, structured output", async () => {
    const lines = await run(examples[0]!, 0);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain("input_tokens");
    expect(lines[2]).toContain("name: 'weather'");
    expect(lines[4]).toMatch(/name: '.*', age: \d/);
  });

  it("runs the container example and sees the second answer come from llm-kit's cache", async () => {
    const lines = await run(examples[1]!, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\{ type: 'upstream' \} \{\s+type: 'cache',\s+level: 'l1'/);
  });

  it("runs the cache example: a miss, then a hit", async () => {
    const lines = await run(examples[2]!, 2);
    expect(lines.slice(0, 2)).toEqual(["Paris", "Paris"]);
    expect(lines[2]).toContain("hits: 1, misses: 1, writes: 1");
  });
});
