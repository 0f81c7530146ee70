import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

/**
 * The build of every published package: ESM (`.js` + `.d.ts`) that `import` loads, and for
 * `require()` a `.cjs` file (+ `.d.cts` types) that loads that same ESM through Node's
 * require(esm) (unflagged in Node 20.19 and 22.12, hence `engines`).
 *
 * Why not a second, CommonJS copy of the code: our packages share state across package
 * boundaries (the `Secret` wrapper of @llm/core, error classes checked with `instanceof`,
 * Inversify tokens), and @llm/di loads providers and plugins with `import()`. A CommonJS
 * copy of @llm/core next to the ESM copy a provider imports breaks all of that (the pack
 * smoke test caught `revealSecret` failing on a secret made by the other copy). One copy of
 * the code, two entry files, no dual-package hazard.
 *
 * The entries are read from the `@llm/source` condition of the package's `exports`, so a new
 * subpath export is built without touching this file; `extraEntries` adds files that are not
 * exports (a bin's implementation).
 */
export function definePackageBuild(extraEntries: readonly string[] = []) {
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
    exports?: Record<string, { "@llm/source"?: string }>;
  };
  const exported = Object.values(manifest.exports ?? {}).flatMap((target) =>
    target["@llm/source"] === undefined ? [] : [target["@llm/source"]],
  );
  const options: Options = {
    entry: [...exported, ...extraEntries],
    // tsup's CommonJS build is kept for its `.d.cts` types; its `.cjs` code is replaced below.
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    // Only quiets esbuild about `import.meta` (testkit) in the CommonJS code that is replaced.
    shims: true,
    onSuccess: async () => {
      for (const source of exported) {
        const base = source.replace(/^\.\/src\//, "").replace(/\.ts$/, "");
        writeFileSync(
          `dist/${base}.cjs`,
          `"use strict";\n// require() gets the ESM build itself (require(esm), Node >= 20.19 / 22.12): one copy of the code.\nmodule.exports = require("./${base}.js");\n`,
        );
        rmSync(`dist/${base}.cjs.map`, { force: true });
      }
    },
  };
  return defineConfig(options);
}
