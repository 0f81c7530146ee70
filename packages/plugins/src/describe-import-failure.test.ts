import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importPluginModule } from "./import-plugin-module.js";
import { PluginLoadError } from "./plugin-errors.js";

const dir = mkdtempSync(join(tmpdir(), "llm-plugin-odd-throw-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Found while auditing plugin loading for raw TypeErrors: describing these failures threw
// "Cannot convert a Symbol value to a string" or the getter's own error.
describe("a plugin module that throws an Error with unreadable fields at import", () => {
  it.each([
    ["a Symbol code", 'throw Object.assign(new Error("x"), { code: Symbol("s") });'],
    ["a Symbol name", 'const e = new Error("x"); e.name = Symbol("n"); throw e;'],
    [
      "a throwing message getter",
      'const e = new Error("x"); Object.defineProperty(e, "message", { get() { throw new Error("g"); } }); throw e;',
    ],
    ["a non-string message", 'const e = new Error("x"); e.message = { a: 1 }; throw e;'],
  ])("%s fails with a PluginLoadError", async (name, source) => {
    const file = join(dir, `${name.replace(/\W+/g, "-")}.mjs`);
    writeFileSync(file, `${source}\n`);
    const error = await importPluginModule(file, { baseDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as PluginLoadError).kind).toBe("invalid-module");
    expect((error as Error).message).toContain("failed to import");
  });
});
