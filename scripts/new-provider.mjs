#!/usr/bin/env node
/**
 * `pnpm new:provider <name>` — scaffolds `packages/provider-<name>`: package.json,
 * tsconfig, tsup and vitest configs (copied from provider-ollama, the reference
 * shape), a README, a changeset, and a working OpenAI-compatible client with
 * tests against @llm/testkit (its own wire-format tests and the shared
 * describeProvider() conformance suite), so the new package typechecks, builds and tests
 * green before its first edit. See docs/adding-a-provider.md for what comes next.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_ROOT = join(HERE, "..");
const TEMPLATE_DIR = join(HERE, "provider-template");
/** The package whose layout every provider package shares. */
const REFERENCE_PACKAGE = join("packages", "provider-ollama");
const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 32;

export class ScaffoldError extends Error {
  name = "ScaffoldError";
}

/** `"my-llm"` → `{ name: "my-llm", Name: "MyLlm", NAME: "MY_LLM" }`. */
export function namesOf(name) {
  const words = name.split("-");
  return {
    name,
    Name: words.map((w) => w[0].toUpperCase() + w.slice(1)).join(""),
    NAME: words.map((w) => w.toUpperCase()).join("_"),
  };
}

/** Throws `ScaffoldError` saying what is wrong with `name`, or returns it. */
export function validateName(name, root = DEFAULT_ROOT) {
  if (typeof name !== "string" || name.trim() === "") {
    throw new ScaffoldError("Usage: pnpm new:provider <name>   (e.g. pnpm new:provider acme)");
  }
  if (name.startsWith("provider-")) {
    throw new ScaffoldError(
      `Pass the bare provider name, not the package folder: pnpm new:provider ${name.slice("provider-".length)}`,
    );
  }
  if (!NAME_PATTERN.test(name)) {
    throw new ScaffoldError(
      `Invalid provider name "${name}": use lower-case letters, digits and single hyphens, starting with a letter (e.g. "acme", "my-llm")`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new ScaffoldError(
      `Invalid provider name "${name}": at most ${MAX_NAME_LENGTH} characters`,
    );
  }
  const dir = join(root, "packages", `provider-${name}`);
  if (existsSync(dir)) {
    throw new ScaffoldError(
      `packages/provider-${name} already exists: pick another name or remove that folder first`,
    );
  }
  const changeset = join(root, ".changeset", `provider-${name}-initial.md`);
  if (existsSync(changeset)) {
    throw new ScaffoldError(
      `.changeset/provider-${name}-initial.md already exists: a provider "${name}" was scaffolded before`,
    );
  }
  return name;
}

const fill = (text, names) =>
  text
    .replaceAll("__Name__", names.Name)
    .replaceAll("__NAME__", names.NAME)
    .replaceAll("__name__", names.name);

/** The package.json: the reference package's shape (exports, scripts, files), our name and deps. */
function packageJson(root, names) {
  const reference = JSON.parse(readFileSync(join(root, REFERENCE_PACKAGE, "package.json"), "utf8"));
  const pkg = {
    name: `@llm/provider-${names.name}`,
    version: "0.1.0",
    description: `The ${names.name} provider for llm-kit.`,
  };
  for (const key of [
    "type",
    "license",
    "sideEffects",
    "exports",
    "main",
    "types",
    "files",
    "scripts",
  ]) {
    if (reference[key] !== undefined) pkg[key] = reference[key];
  }
  pkg.dependencies = { "@llm/core": "workspace:*" };
  // @llm/pool: describeProvider() runs every provider over a ConnectionPool as well as fetch.
  pkg.devDependencies = { "@llm/pool": "workspace:*", "@llm/testkit": "workspace:*" };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function templateFiles(dir, prefix = "") {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...templateFiles(join(dir, entry.name), path));
    else if (entry.name.endsWith(".tpl")) out.push(path);
  }
  return out.sort();
}

/**
 * Writes the new package and its changeset. Returns the paths written,
 * relative to `root`. On any failure nothing is left behind.
 */
export function scaffoldProvider(name, { root = DEFAULT_ROOT } = {}) {
  validateName(name, root);
  const names = namesOf(name);
  const dir = join(root, "packages", `provider-${name}`);
  const written = [];
  const write = (path, content) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content, { flag: "wx" });
    written.push(relative(root, path));
  };
  try {
    write(join(dir, "package.json"), packageJson(root, names));
    for (const file of ["tsconfig.json", "tsup.config.ts", "vitest.config.ts"]) {
      write(join(dir, file), readFileSync(join(root, REFERENCE_PACKAGE, file), "utf8"));
    }
    for (const template of templateFiles(TEMPLATE_DIR)) {
      const content = fill(readFileSync(join(TEMPLATE_DIR, template), "utf8"), names);
      if (template === "changeset.md.tpl") {
        write(join(root, ".changeset", `provider-${name}-initial.md`), content);
      } else {
        write(join(dir, fill(template.slice(0, -".tpl".length), names)), content);
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(root, ".changeset", `provider-${name}-initial.md`), { force: true });
    throw error;
  }
  // Not the changeset: biome's Markdown formatter would turn its front matter into a heading.
  formatWithBiome(
    root,
    written.filter((file) => !file.startsWith(".changeset")),
  );
  return written;
}

/**
 * Line widths and import order depend on the name's length and spelling, so
 * the templates cannot be pre-formatted for every name: let the repo's own
 * formatter settle them. Skipped (with a note) where biome is not installed.
 */
function formatWithBiome(root, files) {
  const biome = join(
    root,
    "node_modules",
    ".bin",
    process.platform === "win32" ? "biome.cmd" : "biome",
  );
  if (!existsSync(biome)) {
    console.warn("new:provider: biome not found; run `pnpm format` to format the new package");
    return;
  }
  const result = spawnSync(biome, ["check", "--write", "--no-errors-on-unmatched", ...files], {
    cwd: root,
    stdio: "ignore",
  });
  if (result.status !== 0)
    console.warn("new:provider: biome left findings; run `pnpm lint` to see them");
}

function main(argv) {
  const name = argv[2];
  try {
    const written = scaffoldProvider(name);
    console.log(`Created @llm/provider-${name}:`);
    for (const path of written) console.log(`  ${path}`);
    console.log(`
Next:
  pnpm install                               # links @llm/core and @llm/testkit into the package
  cd packages/provider-${name}
  pnpm test && pnpm typecheck && pnpm build  # green as scaffolded
Then follow docs/adding-a-provider.md: wire types, mapping, errors, testkit server, README.`);
    return 0;
  } catch (error) {
    if (error instanceof ScaffoldError) {
      console.error(`new:provider: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv);
}
