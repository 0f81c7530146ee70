import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const readme = readFileSync(join(packageDir, "README.md"), "utf8");
const example = readme.match(/## Example[\s\S]*?```ts\n([\s\S]*?)```/)?.[1] ?? "";
const printed = readme.match(/It prints:\n\n```\n([\s\S]*?)```/)?.[1] ?? "";

describe("README example", () => {
  it("runs as written and prints what the README says", () => {
    const file = join(packageDir, `.readme-example-${process.pid}.ts`);
    writeFileSync(file, example);
    try {
      const result = spawnSync(
        process.execPath,
        ["--conditions=@llm/source", "--import", "tsx", file],
        { cwd: packageDir, encoding: "utf8", timeout: 30_000 },
      );
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe(printed);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
