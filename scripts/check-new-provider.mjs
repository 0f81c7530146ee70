#!/usr/bin/env node
/**
 * `pnpm check:new-provider` — proves that what `pnpm new:provider` writes is
 * green as generated: scaffolds `provider-acme` into a temporary copy of the
 * workspace's skeleton (the reference package's configs, the shared vitest and
 * tsconfig bases, node_modules links to this checkout's @llm/core, @llm/pool,
 * @llm/testkit and tools), then runs its lint, typecheck and tests — the
 * describeProvider() conformance suite included — with coverage. Nothing is
 * written to the repository; the temporary directory is removed afterwards.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { scaffoldProvider } from "./new-provider.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const NAME = "acme";

/** The part of the workspace a scaffolded package reads: configs it extends and what it imports. */
function workspaceSkeleton(root) {
  writeFileSync(join(root, "package.json"), '{ "private": true, "type": "module" }\n');
  for (const file of ["tsconfig.base.json", "vitest.shared.ts", "biome.json", ".gitignore"]) {
    cpSync(join(ROOT, file), join(root, file));
  }
  const reference = join(root, "packages", "provider-ollama");
  mkdirSync(reference, { recursive: true });
  for (const file of ["package.json", "tsconfig.json", "tsup.config.ts", "vitest.config.ts"]) {
    cpSync(join(ROOT, "packages", "provider-ollama", file), join(reference, file));
  }
  mkdirSync(join(root, "node_modules", "@llm"), { recursive: true });
  for (const pkg of ["core", "pool", "testkit"]) {
    symlinkSync(join(ROOT, "packages", pkg), join(root, "node_modules", "@llm", pkg), "dir");
  }
  for (const tool of [".bin", "vitest", "@vitest", "typescript", "@types", "vite", "@biomejs"]) {
    symlinkSync(join(ROOT, "node_modules", tool), join(root, "node_modules", tool), "dir");
  }
}

function run(label, command, args, cwd) {
  console.log(`check:new-provider: ${label}`);
  const result = spawnSync(command, args, { cwd, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status})`);
}

const root = mkdtempSync(join(tmpdir(), "llm-new-provider-"));
try {
  workspaceSkeleton(root);
  scaffoldProvider(NAME, { root });
  const pkg = join(root, "packages", `provider-${NAME}`);
  const bin = (tool) => join(ROOT, "node_modules", ".bin", tool);
  run("lint", bin("biome"), ["check", "."], pkg);
  run("typecheck", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"], pkg);
  run("test (with coverage)", bin("vitest"), ["run", "--coverage"], pkg);
  console.log(`check:new-provider: @llm/provider-${NAME} is green as scaffolded`);
} catch (error) {
  console.error(`check:new-provider: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
