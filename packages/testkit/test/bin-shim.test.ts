import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const shim = fileURLToPath(new URL("../bin/llm-testkit.js", import.meta.url));
const exec = promisify(execFile);
const dirs: string[] = [];

/** A package-shaped folder holding a copy of the shim, with or without a built CLI. */
function packageFolder(builtCli?: string): string {
  const root = mkdtempSync(join(tmpdir(), "llm-testkit-bin-"));
  dirs.push(root);
  mkdirSync(join(root, "bin"));
  copyFileSync(shim, join(root, "bin", "llm-testkit.js"));
  writeFileSync(join(root, "package.json"), '{"type":"module"}');
  if (builtCli !== undefined) {
    mkdirSync(join(root, "dist"));
    writeFileSync(join(root, "dist", "cli.js"), builtCli);
  }
  return join(root, "bin", "llm-testkit.js");
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the llm-testkit bin shim", () => {
  it("runs the built CLI with the caller's arguments", async () => {
    const bin = packageFolder("process.stdout.write(JSON.stringify(process.argv.slice(2)));");
    const { stdout } = await exec(process.execPath, [bin, "serve", "--port", "0"]);
    expect(JSON.parse(stdout)).toEqual(["serve", "--port", "0"]);
  });

  it("says how to build when dist/cli.js is missing, and exits 1", async () => {
    const bin = packageFolder();
    const failure = await exec(process.execPath, [bin]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("pnpm --filter @llm/testkit build");
  });
});
