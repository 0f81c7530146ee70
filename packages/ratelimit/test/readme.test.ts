import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const blocks = [
  ...readFileSync(join(packageDir, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g),
].map((m) => m[1] as string);

/** Runs a README block as a user would: a file in the package, imported packages resolved from it. */
function run(code: string, name: string) {
  const file = join(packageDir, `.readme-${name}-${process.pid}.ts`);
  writeFileSync(file, code);
  try {
    return spawnSync(process.execPath, ["--conditions=@llm/source", "--import", "tsx", file], {
      cwd: packageDir,
      encoding: "utf8",
      timeout: 30_000,
    });
  } finally {
    rmSync(file, { force: true });
  }
}

describe("README examples run as written", () => {
  it("has the two examples", () => expect(blocks).toHaveLength(2));

  it("refuses the third call of a two-per-minute budget", () => {
    const result = run(blocks[0] as string, "example");
    expect(result.stderr).toBe("");
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^refused before sending: retry in \d+ ms$/);
  });

  it("takes and settles from a budget shared through Redis, leaving Redis clean", () => {
    const result = run(blocks[1] as string, "redis");
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^waited \d+(\.\d+)? ms\n$/);
  });
});
