import { ConfigError, type LLMError } from "@llm/core";
import { Hooks } from "@llm/hooks";
import { describe, expect, it } from "vitest";
import { PluginLoadError } from "./plugin-errors.js";
import { PluginManager } from "./plugin-manager.js";
import type { PluginDefinition, PluginLogger } from "./plugin-types.js";

const silent: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** A plugin whose other fields are what a broken or foreign module might export. */
const plugin = (fields: Record<string, unknown>): PluginDefinition =>
  ({ name: "p", version: "1.0.0", apiVersion: 1, setup() {}, ...fields }) as PluginDefinition;

function manager() {
  const errors: LLMError[] = [];
  const m = new PluginManager({
    hooks: new Hooks(),
    logger: () => silent,
    onError: (e) => errors.push(e),
  });
  return { m, errors };
}

// Found by tests/reliability/fuzz-plugin-manifests: `dependencies: {}` escaped as
// "TypeError: object is not iterable" from ordering.
describe("plugin definitions with fields of the wrong type", () => {
  it.each([
    [{ dependencies: {} }, /dependencies: expected an array of plugin names, got object/],
    [{ dependencies: 5 }, /dependencies: expected an array/],
    [{ dependencies: ["q", null] }, /dependencies\[1\]: expected a plugin name, got null/],
    [{ configSchema: {} }, /configSchema: expected a Standard Schema/],
    [{ configSchema: { "~standard": { validate: 1 } } }, /configSchema/],
    [{ start: 5 }, /start: expected a function, got number/],
    [{ stop: "x" }, /stop: expected a function, got string/],
    [{ teardown: [] }, /teardown: expected a function, got array/],
  ])("%j is refused at load with a PluginLoadError naming the field", async (fields, message) => {
    const { m } = manager();
    const error = await m.load([{ plugin: plugin(fields) }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as PluginLoadError).kind).toBe("invalid-module");
    expect((error as PluginLoadError).issues[0]?.path).toBe("plugins.p");
    expect((error as Error).message).toMatch(message);
  });

  it("a plugin with every optional field well-formed still loads", async () => {
    const { m } = manager();
    await m.load([{ plugin: plugin({ dependencies: [], start() {}, stop() {}, teardown() {} }) }]);
    expect(m.status()[0]?.state).toBe("loaded");
  });
});

describe("a config schema answering a malformed result", () => {
  const schema = (result: unknown) => ({
    "~standard": { version: 1, vendor: "test", validate: () => result },
  });

  it.each([
    [null, "plugins.p.config", /no result object/],
    [{ issues: "bad" }, "plugins.p.config", /without listing them/],
    [{ issues: [] }, "plugins.p.config", /without listing them/],
    [{ issues: [{ message: 5, path: "a" }] }, "plugins.p.config", /^invalid$/],
    [{ issues: [null] }, "plugins.p.config", /^invalid$/],
    [
      { issues: [{ message: "m", path: [{ key: "a" }, Object.create(null), 2] }] },
      "plugins.p.config.a.undefined.2",
      /^m$/,
    ],
  ])("%j fails setup with a ConfigError at %s, not a TypeError", async (result, path, message) => {
    const { m, errors } = manager();
    await m.load([{ plugin: plugin({ configSchema: schema(result) }) }]);
    await m.start();
    expect(m.status()[0]?.state).toBe("failed");
    expect(errors[0]).toBeInstanceOf(ConfigError);
    expect((errors[0] as ConfigError).issues[0]?.path).toBe(path);
    expect((errors[0] as ConfigError).issues[0]?.message).toMatch(message);
  });
});
