#!/usr/bin/env node
// Checks that every published package of the workspace publishes cleanly:
//   1. its package.json follows the packaging rules (check-packages-manifest.mjs);
//   2. built and packed with `pnpm pack`, its tarball holds LICENSE and README, and its
//      published package.json has no source-only `@llm/source` condition and no `workspace:`;
//   3. publint (strict: warnings fail) and @arethetypeswrong/cli (profile node16: node16 from
//      ESM and CJS, and bundler resolution) find nothing.
// Packages are found in the pnpm workspace, so a new package is checked without editing this.
//
//   node scripts/check-packages.mjs          check (exit 1 on any problem)
//   node scripts/check-packages.mjs --fix    first rewrite the mechanical package.json fields
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { canonicalManifest, manifestProblems } from "./check-packages-manifest.mjs";
import {
  buildPackages,
  packPackages,
  publishedPackages,
  readJson,
  readTarball,
  repoRoot,
} from "./check-packages-workspace.mjs";

const fix = process.argv.includes("--fix");

/**
 * node16 from ESM and from CJS, and bundler (node10 is not a target). One rule is off:
 * `false-export-default` reads our `.cjs` entry (`module.exports = require("./index.js")`)
 * as a CommonJS module without `.default`, but require(esm) hands back the ESM namespace,
 * which has `.default` and `__esModule: true` — so the `.d.cts` `export default` is right.
 * pack-smoke.mjs checks that at run time: require() and import() expose the same names.
 */
const ATTW_OPTIONS = [
  "--profile",
  "node16",
  "--ignore-rules",
  "false-export-default",
  "--format",
  "ascii",
];
const root = readJson(join(repoRoot, "package.json"));
const problems = new Map();
const report = (name, problem) => problems.set(name, [...(problems.get(name) ?? []), problem]);

if (!existsSync(join(repoRoot, "LICENSE"))) report("(root)", "LICENSE is missing");
for (const field of ["license", "repository", "engines"]) {
  if (!root[field]) report("(root)", `package.json has no "${field}" (packages inherit it)`);
}

const packages = publishedPackages();
for (const pkg of packages) {
  const context = { root, directory: pkg.directory };
  if (fix) {
    const fixed = canonicalManifest(pkg.manifest, context);
    if (JSON.stringify(fixed) !== JSON.stringify(pkg.manifest)) {
      writeFileSync(join(pkg.dir, "package.json"), `${JSON.stringify(fixed, null, 2)}\n`);
      pkg.manifest = fixed;
      console.log(`fixed ${pkg.directory}/package.json`);
    }
  }
  for (const problem of manifestProblems(pkg.manifest, context)) report(pkg.name, problem);
}

buildPackages(packages);
const packDir = mkdtempSync(join(tmpdir(), "llm-kit-pack-"));
try {
  const tarballs = packPackages(packages, packDir);
  for (const pkg of packages) {
    const tarball = tarballs.get(pkg.name);
    const { files, manifest } = readTarball(tarball);
    for (const required of ["LICENSE", "README.md", "package.json"]) {
      if (!files.includes(required)) report(pkg.name, `the tarball has no ${required}`);
    }
    const published = JSON.stringify(manifest);
    if (published.includes("@llm/source")) {
      report(pkg.name, `the published package.json still has the "@llm/source" condition`);
    }
    if (published.includes('"workspace:')) {
      report(pkg.name, "the published package.json still has a workspace: range");
    }

    const lint = await publint({ pack: { tarball: readFileSync(tarball).buffer }, strict: true });
    for (const message of lint.messages) {
      report(
        pkg.name,
        `publint ${message.type}: ${formatMessage(message, lint.pkg, { color: false })}`,
      );
    }

    try {
      execFileSync("pnpm", ["exec", "attw", tarball, ...ATTW_OPTIONS], {
        cwd: repoRoot,
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (error) {
      report(pkg.name, `attw (node16 from ESM and CJS, bundler):\n${error.stdout}${error.stderr}`);
    }
    console.log(`${problems.has(pkg.name) ? "✗" : "✓"} ${pkg.name}`);
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

for (const [name, list] of problems) {
  console.error(`\n${name}:`);
  for (const problem of list) console.error(`  - ${problem}`);
}
console.log(
  `\ncheck-packages: ${packages.length} packages, ${problems.size} with problems${fix ? " (after --fix)" : ""}`,
);
process.exit(problems.size === 0 ? 0 : 1);
