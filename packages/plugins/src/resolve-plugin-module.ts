import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PluginLoadError } from "./plugin-errors.js";
import { readSmallFile } from "./read-small-file.js";

export interface ResolveOptions {
  /** Folder relative paths and packages are resolved from (the config file's folder). */
  baseDir: string;
  /** Export conditions, in addition to `import`, `node`, `default` and the ones Node was started with. */
  conditions?: readonly string[];
  /** The conditions Node was started with. Default: this process's (`processConditions()`). */
  nodeConditions?: readonly string[];
}

const INDEX_FILES = ["index.js", "index.mjs", "index.ts"];

/** A plugin's package.json is read whole before anything is loaded: real ones are a few KB. */
export const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;

/** Conditions Node itself was started with (`--conditions=x`, `-C x`), so resolution matches Node's. */
export function processConditions(execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (arg.startsWith("--conditions=")) out.push(arg.slice("--conditions=".length));
    else if ((arg === "--conditions" || arg === "-C") && execArgv[i + 1]) out.push(execArgv[++i]!);
  }
  return out;
}

const isPathSpecifier = (specifier: string) =>
  specifier.startsWith(".") || isAbsolute(specifier) || specifier.startsWith("file:");

/**
 * Resolves a plugin specifier to a file, from `baseDir` rather than from this
 * package (pnpm keeps packages strict: `@llm/plugins` cannot see the app's
 * dependencies), with the export conditions Node itself resolves with (so a
 * process started with `--conditions=@llm/source` loads sources). Only what
 * the config names is resolved; nothing is scanned.
 */
export function resolvePluginModule(specifier: string, options: ResolveOptions): string {
  const conditions = new Set([
    "import",
    "node",
    "default",
    ...(options.nodeConditions ?? processConditions()),
    ...(options.conditions ?? []),
  ]);
  if (isPathSpecifier(specifier)) {
    const path = specifier.startsWith("file:")
      ? fileURLToPath(specifier)
      : resolve(options.baseDir, specifier);
    return resolvePath(specifier, path, conditions);
  }
  const { name, subpath } = splitPackageSpecifier(specifier);
  for (let dir = resolve(options.baseDir); ; dir = dirname(dir)) {
    const packageDir = join(dir, "node_modules", name);
    if (existsSync(join(packageDir, "package.json"))) {
      return resolvePackageEntry(specifier, packageDir, subpath, conditions);
    }
    if (dirname(dir) === dir) break;
  }
  throw new PluginLoadError(
    "not-found",
    [specifier],
    `Plugin package "${specifier}" is not installed where the config can see it (searched node_modules from ${options.baseDir} up); run \`pnpm add ${name}\``,
  );
}

function splitPackageSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split("/");
  const nameLength = specifier.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, nameLength).join("/");
  const rest = parts.slice(nameLength).join("/");
  return { name, subpath: rest ? `./${rest}` : "." };
}

function resolvePath(specifier: string, path: string, conditions: Set<string>): string {
  if (!existsSync(path)) {
    throw new PluginLoadError("not-found", [specifier], `Plugin file "${path}" does not exist`);
  }
  if (!statSync(path).isDirectory()) return path;
  if (existsSync(join(path, "package.json"))) {
    return resolvePackageEntry(specifier, path, ".", conditions);
  }
  for (const index of INDEX_FILES) {
    if (existsSync(join(path, index))) return join(path, index);
  }
  throw new PluginLoadError(
    "not-found",
    [specifier],
    `Plugin directory "${path}" has no package.json and no ${INDEX_FILES.join(" / ")}`,
  );
}

interface PackageJson {
  exports?: unknown;
  main?: string;
}

function resolvePackageEntry(
  specifier: string,
  packageDir: string,
  subpath: string,
  conditions: Set<string>,
): string {
  const file = join(packageDir, "package.json");
  const unreadable = (cause: unknown) =>
    new PluginLoadError("invalid-module", [specifier], `Cannot read ${file}`, cause);
  let text: string | undefined;
  try {
    text = readSmallFile(file, MAX_PACKAGE_JSON_BYTES);
  } catch (cause) {
    throw unreadable(cause);
  }
  if (text === undefined) {
    throw new PluginLoadError(
      "invalid-module",
      [specifier],
      `${file} is larger than ${MAX_PACKAGE_JSON_BYTES} bytes (MAX_PACKAGE_JSON_BYTES): not read`,
    );
  }
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(text) as PackageJson;
  } catch (cause) {
    throw unreadable(cause);
  }
  const target =
    pkg.exports === undefined
      ? subpath === "."
        ? (pkg.main ?? INDEX_FILES.find((f) => existsSync(join(packageDir, f))))
        : subpath
      : pickExport(subpathTarget(pkg.exports, subpath), conditions);
  if (!target) {
    throw new PluginLoadError(
      "invalid-module",
      [specifier],
      `Package "${specifier}" exports nothing for "${subpath}" under conditions ${[...conditions].join(", ")}`,
    );
  }
  return resolvePath(specifier, join(packageDir, target), conditions);
}

function subpathTarget(exports: unknown, subpath: string): unknown {
  if (typeof exports === "string" || Array.isArray(exports))
    return subpath === "." ? exports : undefined;
  if (exports === null || typeof exports !== "object") return undefined;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  // `{ ".": …, "./x": … }` is a subpath map; anything else is a condition map for ".".
  if (keys.some((k) => k.startsWith("."))) return map[subpath];
  return subpath === "." ? exports : undefined;
}

function pickExport(target: unknown, conditions: Set<string>): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const found = pickExport(candidate, conditions);
      if (found) return found;
    }
    return undefined;
  }
  if (target === null || typeof target !== "object") return undefined;
  // Conditions match in the package's own key order, as Node does.
  for (const [condition, value] of Object.entries(target as Record<string, unknown>)) {
    if (condition === "types" || !conditions.has(condition)) continue;
    const found = pickExport(value, conditions);
    if (found) return found;
  }
  return undefined;
}
