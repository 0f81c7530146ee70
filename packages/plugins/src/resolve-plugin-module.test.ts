import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { PluginLoadError } from "./plugin-errors.js";
import {
  MAX_PACKAGE_JSON_BYTES,
  processConditions,
  resolvePluginModule,
} from "./resolve-plugin-module.js";

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "llm-resolve-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("resolvePluginModule", () => {
  it("resolves a workspace package through its export conditions", () => {
    const source = resolvePluginModule("@llm/hooks", {
      baseDir: here,
      conditions: ["@llm/source"],
    });
    expect(source.endsWith(join("hooks", "src", "index.ts"))).toBe(true);
    // Without the source condition the `import` target (dist/) is chosen, as Node would.
    const built = (() => {
      try {
        return resolvePluginModule("@llm/hooks", { baseDir: here, nodeConditions: [] });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(built).toMatch(/hooks[\\/]dist[\\/]index\.js/);
  });

  it("resolves subpath exports, array targets and file URLs", () => {
    const pkg = join(dir, "node_modules", "multi");
    mkdirSync(join(pkg, "lib"), { recursive: true });
    writeFileSync(join(pkg, "lib", "a.js"), "export default 1;");
    writeFileSync(join(pkg, "lib", "b.js"), "export default 2;");
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({
        exports: {
          ".": ["./missing-ok-if-first-string.js"],
          "./b": { node: { import: "./lib/b.js" } },
        },
      }),
    );
    expect(resolvePluginModule("multi/b", { baseDir: dir })).toBe(join(pkg, "lib", "b.js"));
    expect(() => resolvePluginModule("multi", { baseDir: dir })).toThrow(/does not exist/);
    expect(() => resolvePluginModule("multi/c", { baseDir: dir })).toThrow(
      /exports nothing for "\.\/c"/,
    );
    expect(
      resolvePluginModule(pathToFileURL(join(pkg, "lib", "a.js")).href, { baseDir: "/" }),
    ).toBe(join(pkg, "lib", "a.js"));
  });

  it("explains a folder without an entry point and an unreadable package.json", () => {
    mkdirSync(join(dir, "empty"));
    expect(() => resolvePluginModule("./empty", { baseDir: dir })).toThrow(/has no package.json/);
    mkdirSync(join(dir, "broken"));
    writeFileSync(join(dir, "broken", "package.json"), "{ nope");
    expect(() => resolvePluginModule("./broken", { baseDir: dir })).toThrow(/Cannot read/);
  });

  it("refuses a package.json over MAX_PACKAGE_JSON_BYTES without parsing it", () => {
    mkdirSync(join(dir, "huge"));
    const padding = " ".repeat(MAX_PACKAGE_JSON_BYTES);
    writeFileSync(join(dir, "huge", "package.json"), `{"main":"index.js"}${padding}`);
    writeFileSync(join(dir, "huge", "index.js"), "export default {};");
    let thrown: unknown;
    try {
      resolvePluginModule("./huge", { baseDir: dir });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PluginLoadError);
    expect(thrown).toMatchObject({ kind: "invalid-module", plugins: ["./huge"] });
    expect(String(thrown)).toContain(`is larger than ${MAX_PACKAGE_JSON_BYTES} bytes`);
  });

  it("reads a package.json of exactly MAX_PACKAGE_JSON_BYTES", () => {
    mkdirSync(join(dir, "full"));
    const json = '{"main":"index.js"}';
    writeFileSync(
      join(dir, "full", "package.json"),
      json + " ".repeat(MAX_PACKAGE_JSON_BYTES - json.length),
    );
    writeFileSync(join(dir, "full", "index.js"), "export default {};");
    expect(resolvePluginModule("./full", { baseDir: dir })).toBe(join(dir, "full", "index.js"));
  });

  it("reads the conditions Node was started with", () => {
    expect(
      processConditions([
        "--conditions=@llm/source",
        "-C",
        "dev",
        "--inspect",
        "--conditions",
        "x",
      ]),
    ).toEqual(["@llm/source", "dev", "x"]);
  });

  it("adds the conditions Node was started with", () => {
    const source = resolvePluginModule("@llm/hooks", {
      baseDir: here,
      nodeConditions: ["@llm/source"],
    });
    expect(source.endsWith(join("hooks", "src", "index.ts"))).toBe(true);
  });
});
