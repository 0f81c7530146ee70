#!/usr/bin/env node
// Packaging smoke test: what a user gets from `npm install`. Packs every published package,
// installs the tarballs into a scratch project outside the workspace (our packages only from
// the tarballs — `overrides` pins every @llm/* name to its tarball, so nothing of ours comes
// from a registry; third-party dependencies come from the registry), then
//   - runs the same consumer as ESM and as CommonJS (every entry loads, both expose the same
//     names, a request goes through a container from the tarballs and is cached);
//   - runs the @llm/testkit bin;
//   - typechecks a TypeScript consumer under node16, nodenext (ESM and CJS files) and bundler;
//   - runs `changeset version` on a throwaway copy of the repository.
//
//   node scripts/pack-smoke.mjs [--keep] [--no-build]
//     --keep leaves the scratch directory for a look; --no-build packs the dist/ already built
//     (by check-packages.mjs just before, as .ci/run does).
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import {
  buildPackages,
  packPackages,
  publishedPackages,
  readJson,
  repoRoot,
} from "./check-packages-workspace.mjs";
import {
  cjsConsumer,
  esmConsumer,
  tsconfigFor,
  typescriptConsumer,
  typescriptSetups,
} from "./pack-smoke-consumers.mjs";

const keep = process.argv.includes("--keep");
const skipBuild = process.argv.includes("--no-build");
/** More Node binaries the ESM and CommonJS consumers also run on (`--node=/path/to/node`). */
const moreNodes = process.argv
  .filter((arg) => arg.startsWith("--node="))
  .map((arg) => arg.slice(7));
const scratch = mkdtempSync(join(tmpdir(), "llm-kit-smoke-"));
const step = (title) => console.log(`\n-- pack-smoke: ${title}`);

function run(command, args, options = {}) {
  return execFileSync(command, args, { cwd: scratch, encoding: "utf8", stdio: "pipe", ...options });
}

/** Runs a step; on failure prints what the command printed and fails the whole smoke test. */
function check(title, action) {
  step(title);
  try {
    return action();
  } catch (error) {
    console.error(
      `pack-smoke: ${title} failed\n${error.stdout ?? ""}${error.stderr ?? error.stack}`,
    );
    throw new Error(`pack-smoke: ${title} failed`);
  }
}

/** Every entry exposes the same names to `import` and `require()` (one copy of the code). */
function compareShapes(entries, esm, cjs, print) {
  for (const { specifier } of entries) {
    const [fromImport, fromRequire] = [JSON.parse(esm)[specifier], JSON.parse(cjs)[specifier]];
    if (JSON.stringify(fromImport) !== JSON.stringify(fromRequire)) {
      throw new Error(`${specifier}: import gives ${fromImport}, require gives ${fromRequire}`);
    }
    const shape = Array.isArray(fromImport) ? `${fromImport.length} exports` : fromImport;
    if (print) console.log(`${specifier}: ${shape}`);
  }
}

/**
 * tsc with skipLibCheck off, failing on errors in the consumer or in our own .d.ts files only:
 * a third-party library's own declaration problems (@ai-sdk/provider imports `json-schema`
 * types it does not depend on) are theirs, and are listed, not failed on.
 */
function typecheck(tsc, project) {
  try {
    run("node", [tsc, "-p", project]);
  } catch (error) {
    const errors = `${error.stdout}`
      .split("\n")
      .filter((line) => /^\S+\(\d+,\d+\): error/.test(line));
    const ours = errors.filter(
      (line) => !line.startsWith("node_modules/") || line.startsWith("node_modules/@llm/"),
    );
    if (ours.length > 0 || errors.length === 0) throw error;
    console.log(
      `${errors.length} errors in third-party declarations, not ours:\n${errors.join("\n")}`,
    );
  }
}

let failed = false;
try {
  const packages = publishedPackages();
  if (!skipBuild) check("build", () => buildPackages(packages));
  const tarballDir = join(scratch, "tarballs");
  mkdirSync(tarballDir);
  const tarballs = check(`pack ${packages.length} packages`, () =>
    packPackages(packages, tarballDir),
  );

  const ours = Object.fromEntries(
    packages.map((pkg) => [pkg.name, `file:./tarballs/${basename(tarballs.get(pkg.name))}`]),
  );
  const rootTypesNode = readJson(join(repoRoot, "package.json")).devDependencies["@types/node"];
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify(
      {
        name: "llm-kit-pack-smoke",
        private: true,
        dependencies: { ...ours, "@types/node": rootTypesNode },
        overrides: ours,
      },
      null,
      2,
    ),
  );
  // --ignore-scripts: better-sqlite3 would compile its addon (minutes); loading its JS is enough
  // here, the workspace tests exercise SQLite itself.
  check("npm install the tarballs", () =>
    run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]),
  );

  const entries = packages.flatMap((pkg) =>
    Object.keys(pkg.manifest.exports ?? {}).map((subpath) => ({
      specifier: pkg.name + subpath.slice(1),
      optionalPeers: Object.keys(pkg.manifest.peerDependenciesMeta ?? {}).filter(
        (peer) => pkg.manifest.peerDependenciesMeta[peer].optional,
      ),
    })),
  );
  writeFileSync(join(scratch, "consumer.mjs"), esmConsumer);
  writeFileSync(join(scratch, "consumer.cjs"), cjsConsumer);
  const esm = check(`ESM consumer (import), Node ${process.version}`, () =>
    run(process.execPath, ["consumer.mjs", JSON.stringify(entries)]),
  );
  for (const node of [process.execPath, ...moreNodes]) {
    const version = run(node, ["--version"]).trim();
    const cjs = check(`CommonJS consumer (require), Node ${version}`, () =>
      run(node, ["consumer.cjs", JSON.stringify(entries)]),
    );
    const esmHere =
      node === process.execPath
        ? esm
        : check(`ESM consumer (import), Node ${version}`, () =>
            run(node, ["consumer.mjs", JSON.stringify(entries)]),
          );
    check(`ESM and CommonJS expose the same names, Node ${version}`, () =>
      compareShapes(entries, esmHere, cjs, node === process.execPath),
    );
  }

  for (const pkg of packages) {
    for (const bin of Object.keys(pkg.manifest.bin ?? {})) {
      check(`bin ${bin} --help`, () => run(join(scratch, "node_modules", ".bin", bin), ["--help"]));
    }
  }

  mkdirSync(join(scratch, "ts"));
  // Entries that need an optional peer (vitest) are left out: their types import it.
  const source = typescriptConsumer(
    entries.filter((entry) => entry.optionalPeers.length === 0).map((entry) => entry.specifier),
  );
  for (const file of ["esm.mts", "cjs.cts", "bundler.ts"])
    writeFileSync(join(scratch, "ts", file), source);
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  for (const [name, setup] of Object.entries(typescriptSetups)) {
    const file = `tsconfig.${name.replace(/\W+/g, "-")}.json`;
    writeFileSync(join(scratch, file), JSON.stringify(tsconfigFor(setup), null, 2));
    check(`typecheck a TS consumer: ${name}`, () => typecheck(tsc, file));
  }

  check("changeset version (dry run on a throwaway copy)", () => {
    const copy = join(scratch, "repo");
    const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" });
    for (const file of tracked.split("\0").filter(Boolean)) {
      cpSync(join(repoRoot, file), join(copy, file), { recursive: true });
    }
    // The changelog generator is resolved from the copy's node_modules.
    symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"));
    for (const pkg of packages) {
      symlinkSync(join(pkg.dir, "node_modules"), join(copy, pkg.directory, "node_modules"));
    }
    const pending = readdirSync(join(copy, ".changeset")).filter(
      (f) => f.endsWith(".md") && f !== "README.md",
    );
    run("pnpm", ["exec", "changeset", "version"], { cwd: copy });
    const bumped = packages.filter(
      (pkg) => readJson(join(copy, pkg.directory, "package.json")).version !== pkg.manifest.version,
    );
    console.log(`${pending.length} changesets → ${bumped.length} packages get a new version`);
  });
} catch (error) {
  failed = true;
  console.error(error.message);
} finally {
  if (keep) console.log(`\nscratch project kept at ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
console.log(
  failed
    ? "\npack-smoke: FAILED"
    : "\npack-smoke: every package installs, loads and typechecks from its tarball",
);
process.exit(failed ? 1 : 0);
