// What check-packages.mjs and pack-smoke.mjs share: finding every published package of the
// workspace (so a new package is checked without editing a list), building and packing them.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { cwd: repoRoot, encoding: "utf8", ...options });
}

/** Every non-private package of the pnpm workspace: `{ name, dir, directory, manifest }`. */
export function publishedPackages() {
  const listed = JSON.parse(run("pnpm", ["-r", "ls", "--depth", "-1", "--json"]));
  return listed
    .filter((entry) => !entry.private)
    .map((entry) => ({
      name: entry.name,
      dir: entry.path,
      directory: relative(repoRoot, entry.path),
      manifest: readJson(join(entry.path, "package.json")),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Builds every published package (turbo builds their workspace dependencies first). */
export function buildPackages(packages) {
  const filters = packages.map((pkg) => `--filter=${pkg.name}`);
  run("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only", ...filters], {
    stdio: "inherit",
  });
}

/**
 * `pnpm pack`s each package into `destination` (pnpm applies `publishConfig` and turns
 * `workspace:^` into `^<version>`, as `pnpm publish` would) and returns the tarball paths
 * by package name.
 */
export function packPackages(packages, destination) {
  const tarballs = new Map();
  for (const pkg of packages) {
    const before = new Set(readdirSync(destination));
    run("pnpm", ["pack", "--pack-destination", destination], { cwd: pkg.dir, stdio: "pipe" });
    const created = readdirSync(destination).filter((file) => !before.has(file));
    if (created.length !== 1)
      throw new Error(`pnpm pack of ${pkg.name} wrote ${created.length} files`);
    tarballs.set(pkg.name, join(destination, created[0]));
  }
  return tarballs;
}

/** The files of a tarball (`package/...` stripped) and its package.json. */
export function readTarball(tarball) {
  const files = run("tar", ["-tzf", tarball])
    .split("\n")
    .filter(Boolean)
    .map((file) => file.replace(/^package\//, ""));
  const manifest = JSON.parse(run("tar", ["-xzOf", tarball, "package/package.json"]));
  return { files, manifest };
}
