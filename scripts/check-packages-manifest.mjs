// The packaging rules every published workspace package's package.json must follow, as
// one canonical form: `manifestProblems` names each difference, `canonicalManifest` returns
// the package.json with the mechanical ones fixed (`node scripts/check-packages.mjs --fix`).
// Other packaging facts (LICENSE in the tarball, no source condition in the published
// exports, publint, attw) are checked on the packed tarball by check-packages.mjs.

/**
 * Libraries whose one copy must be shared with the user's code (a global registry, `instanceof`
 * checks, decorators, a context manager): a package that uses one declares it as a peer
 * (caret range) and keeps an exact dev copy for its own tests.
 */
export const SHARED_PEERS = [
  "@opentelemetry/api",
  "inversify",
  "reflect-metadata",
  "@langchain/core",
  "ai",
  "@ai-sdk/provider",
];

const SOURCE_CONDITION = "@llm/source";

/** `./src/testing.ts` → `testing`: the basename tsup gives the built files of an entry. */
function entryBase(sourcePath) {
  const match = /^\.\/src\/(.+)\.ts$/.exec(sourcePath);
  return match?.[1];
}

/** The dual ESM + CommonJS target of one export built by tsup.shared.ts. */
function dualTarget(sourcePath) {
  const base = entryBase(sourcePath);
  return {
    [SOURCE_CONDITION]: sourcePath,
    import: { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` },
    require: { types: `./dist/${base}.d.cts`, default: `./dist/${base}.cjs` },
  };
}

/** The exports a package publishes: the workspace exports minus the source-only condition. */
export function withoutSourceCondition(value) {
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, inner]) => [key, withoutSourceCondition(inner)]),
  );
}

const exactVersion = /^\d+\.\d+\.\d+(-[\w.]+)?$/;

/** `1.2.3` → `^1.2.3`, `workspace:*` → `workspace:^` (published as `^<version>`). */
function caret(range) {
  if (range === "workspace:*" || range === "workspace:~") return "workspace:^";
  if (exactVersion.test(range)) return `^${range}`;
  return range;
}

/** `^1.2.3`, `workspace:^`, or caret ranges joined by `||` (`^6.0.0 || ^7.0.0`). */
function isCaret(range) {
  if (range === "workspace:^") return true;
  return range.split("||").every((part) => /^\^\d+\.\d+\.\d+(-[\w.]+)?$/.test(part.trim()));
}

/** `1.2.3`, or an npm alias of an exact version (`npm:ai@7.0.185`, a second major for tests). */
function isExact(range) {
  return (
    exactVersion.test(range) || /^npm:(@[\w.-]+\/)?[\w.-]+@\d+\.\d+\.\d+(-[\w.]+)?$/.test(range)
  );
}

/**
 * The package.json with every mechanical packaging rule applied; `root` is the workspace
 * root's package.json (source of `license`, `repository.url` and `engines`).
 */
export function canonicalManifest(manifest, { root, directory }) {
  const next = structuredClone(manifest);
  next.type = "module";
  next.license = root.license;
  next.repository = { type: "git", url: root.repository.url, directory };
  next.engines = { ...next.engines, node: next.engines?.node ?? root.engines.node };
  if (next.exports) {
    next.exports = Object.fromEntries(
      Object.entries(next.exports).map(([subpath, target]) => {
        const source = target?.[SOURCE_CONDITION];
        return [subpath, source && entryBase(source) ? dualTarget(source) : target];
      }),
    );
    const root = next.exports["."]?.require;
    if (root) {
      next.main = root.default;
      next.types = root.types;
    }
    next.publishConfig = {
      ...next.publishConfig,
      access: "public",
      exports: withoutSourceCondition(next.exports),
    };
  }
  for (const name of SHARED_PEERS) {
    const range = next.dependencies?.[name];
    if (range === undefined) continue;
    delete next.dependencies[name];
    next.peerDependencies = { ...next.peerDependencies, [name]: caret(range) };
    next.devDependencies = { ...next.devDependencies, [name]: range.replace(/^[\^~]/, "") };
  }
  for (const field of ["dependencies", "peerDependencies"]) {
    for (const [name, range] of Object.entries(next[field] ?? {})) next[field][name] = caret(range);
  }
  return next;
}

/** Every way `manifest` breaks the packaging rules, as sentences naming the field. */
export function manifestProblems(manifest, context) {
  const problems = [];
  const want = canonicalManifest(manifest, context);
  for (const field of ["type", "license", "repository", "engines", "main", "types"]) {
    if (JSON.stringify(manifest[field]) !== JSON.stringify(want[field])) {
      problems.push(
        `"${field}" is ${JSON.stringify(manifest[field])}, want ${JSON.stringify(want[field])}`,
      );
    }
  }
  if (typeof manifest.sideEffects !== "boolean" && !Array.isArray(manifest.sideEffects)) {
    problems.push(`"sideEffects" is missing: say false, or list the files that have side effects`);
  }
  if (!manifest.files?.includes("dist") || manifest.files.some((f) => /^\.?\/?src\b/.test(f))) {
    problems.push(
      `"files" must list "dist" and no source directory (it is ${JSON.stringify(manifest.files)})`,
    );
  }
  if (!manifest.exports) problems.push(`"exports" is missing`);
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const source = target?.[SOURCE_CONDITION];
    if (!source || !entryBase(source)) {
      problems.push(
        `exports["${subpath}"] has no "${SOURCE_CONDITION}" condition pointing at ./src/*.ts`,
      );
    } else if (JSON.stringify(target) !== JSON.stringify(want.exports[subpath])) {
      problems.push(
        `exports["${subpath}"] is not the dual import/require layout (want ${JSON.stringify(want.exports[subpath])})`,
      );
    }
  }
  if (JSON.stringify(manifest.publishConfig) !== JSON.stringify(want.publishConfig)) {
    problems.push(
      `"publishConfig" must publish the exports without "${SOURCE_CONDITION}" (want ${JSON.stringify(want.publishConfig)})`,
    );
  }
  for (const name of SHARED_PEERS) {
    if (manifest.dependencies?.[name]) {
      problems.push(
        `"${name}" is a dependency; make it a peer (the user's copy must be shared) plus an exact devDependency`,
      );
    }
    if (manifest.peerDependencies?.[name] && !manifest.devDependencies?.[name]) {
      problems.push(`peer "${name}" has no exact devDependency copy for the package's own tests`);
    }
  }
  for (const field of ["dependencies", "peerDependencies"]) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      const optionalPeer =
        field === "peerDependencies" && manifest.peerDependenciesMeta?.[name]?.optional;
      if (!isCaret(range) && !optionalPeer) {
        problems.push(`${field}["${name}"] is "${range}", want a caret range ("${caret(range)}")`);
      }
    }
  }
  for (const [name, range] of Object.entries(manifest.devDependencies ?? {})) {
    if (!range.startsWith("workspace:") && !isExact(range)) {
      problems.push(`devDependencies["${name}"] is "${range}": tools are pinned exactly`);
    }
  }
  return problems;
}
